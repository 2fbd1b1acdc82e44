package dev.slice.provisioning;

import dev.slice.job.PermanentJobFailure;

/**
 * A create job whose order was cancelled: it ends at the step boundary where it notices (no retry), and
 * {@link GuestSteps#failed} hands the server to a delete job.
 */
final class ProvisioningCancelled extends PermanentJobFailure {
    static final String REASON = "cancelled: the order was withdrawn while the server was being set up";

    ProvisioningCancelled() {
        super(REASON);
    }
}
