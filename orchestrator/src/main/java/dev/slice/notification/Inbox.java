package dev.slice.notification;

import java.util.List;

/** The bell's content: how many results came since the account last looked, and the latest ones. */
public record Inbox(long unread, List<Notification> latest) {}
