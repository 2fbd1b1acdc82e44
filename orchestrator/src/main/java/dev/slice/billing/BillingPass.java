package dev.slice.billing;

import org.springframework.stereotype.Service;

/** What the schedule runs: metering up to the last whole hour, the invoices of ended months, then dunning. */
@Service
public class BillingPass {
    private final Metering metering;
    private final Invoicing invoicing;
    private final Dunning dunning;

    public BillingPass(Metering metering, Invoicing invoicing, Dunning dunning) {
        this.metering = metering;
        this.invoicing = invoicing;
        this.dunning = dunning;
    }

    public void run() {
        metering.runPass();
        invoicing.issueDue();
        dunning.runPass();
    }
}
