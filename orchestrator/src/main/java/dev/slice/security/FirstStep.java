package dev.slice.security;

import java.util.Set;

/**
 * What a session's account must do before anything else, in the panel (every page leads to it) and over the API with
 * the session (403 on everything but these paths). Decided by {@link CurrentActor#firstStep}; API tokens never have one.
 */
public enum FirstStep {
    /** A one-time password (after a reset) is in use. */
    CHANGE_PASSWORD(Set.of("/api/me", "/api/me/password"),
            "replace the one-time password first (POST /api/me/password with it as currentPassword)"),
    /** Two-factor sign-in is mandatory for operators and resellers on this installation, and this account has none. */
    ENROL_TWO_FACTOR(Set.of("/api/me", "/api/me/two-factor", "/api/me/two-factor/confirm"),
            "two-factor enrolment is required: this installation requires two-factor sign-in for operators and resellers;"
                    + " enrol first (POST /api/me/two-factor, then POST /api/me/two-factor/confirm with a code)");

    private final Set<String> apiPaths;
    private final String message;

    FirstStep(Set<String> apiPaths, String message) {
        this.apiPaths = apiPaths;
        this.message = message;
    }

    /** Whether a session with this step pending may call this API path (the step itself, and reading who it is). */
    public boolean allows(String apiPath) {
        return apiPaths.contains(apiPath);
    }

    /** The 403's message: what to do, and with which calls. */
    public String message() {
        return message;
    }
}
