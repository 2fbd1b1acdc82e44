package dev.slice.template;

/** An OS a server can be installed with; {@code name} is what drivers receive (e.g. debian-12). */
public record OsTemplate(String name, String label, boolean enabled) {}
