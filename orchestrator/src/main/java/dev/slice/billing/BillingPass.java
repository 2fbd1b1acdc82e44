package dev.slice.billing;

import org.springframework.stereotype.Service;

/**
 * What the schedule runs: metering up to the last whole hour, the traffic overage of ended months, the invoices of ended
 * months (so they carry that overage), then dunning.
 */
@Service
public class BillingPass {
    private final Metering metering;
    private final TrafficCharging traffic;
    private final Invoicing invoicing;
    private final Dunning dunning;

    public BillingPass(Metering metering, TrafficCharging traffic, Invoicing invoicing, Dunning dunning) {
        this.metering = metering;
        this.traffic = traffic;
        this.invoicing = invoicing;
        this.dunning = dunning;
    }

    public void run() {
        metering.runPass();
        traffic.runPass();
        invoicing.issueDue();
        dunning.runPass();
    }
}
