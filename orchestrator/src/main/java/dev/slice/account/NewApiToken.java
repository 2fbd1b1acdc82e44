package dev.slice.account;

/** A freshly created token: {@code token} is shown once and never stored in clear. */
public record NewApiToken(ApiToken info, String token) {}
