package dev.slice.billing;

import dev.slice.billing.BillingRepository.BillingAccount;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Service;

/**
 * Tells an account by e-mail what billing did to it, through the application's SMTP settings ({@code spring.mail.host},
 * {@code spring.mail.port}, ...; sender {@code slice.billing.mail-from}). Without SMTP settings, or for an account without
 * an address, the notice is only logged (the audit log has the step either way). A failed send never undoes the step.
 */
@Service
public class BillingNotices {
    private static final Logger log = LoggerFactory.getLogger(BillingNotices.class);

    private final ObjectProvider<JavaMailSender> mail;
    private final BillingRepository repository;
    private final BillingProperties properties;

    public BillingNotices(ObjectProvider<JavaMailSender> mail, BillingRepository repository, BillingProperties properties) {
        this.mail = mail;
        this.repository = repository;
        this.properties = properties;
    }

    public void suspended(long accountId, List<String> hostnames, Money balance) {
        send(accountId, "Your servers are suspended: unpaid balance", "Your balance has been negative for longer than "
                + properties.dunningGrace().toDays() + " days (" + balance + "), so these servers were suspended and stopped: "
                + String.join(", ", hostnames) + ".\n\nPay the balance and they are started again.");
    }

    public void unsuspended(long accountId, List<String> hostnames) {
        send(accountId, "Your servers are running again", "Thank you for your payment. These servers were started again: "
                + String.join(", ", hostnames) + ".");
    }

    public void terminationRequested(long accountId, Money balance) {
        send(accountId, "Final notice: unpaid balance", "Your balance (" + balance + ") has been negative for longer than "
                + properties.dunningTerminateAfter().toDays() + " days. Your provider has been asked to terminate your servers; "
                + "pay the balance to keep them.");
    }

    private void send(long accountId, String subject, String text) {
        String to = repository.email(accountId).orElse(null);
        JavaMailSender sender = mail.getIfAvailable();
        if (sender == null || to == null || to.isBlank()) {
            log.info("Billing notice to account {} not e-mailed ({}): {}", accountId,
                    sender == null ? "no spring.mail.host set" : "no e-mail address", subject);
            return;
        }
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(properties.mailFrom());
        message.setTo(to);
        message.setSubject("[Slice] " + subject);
        String name = repository.account(accountId).map(BillingAccount::displayName).orElse("");
        message.setText("Hello " + name + ",\n\n" + text + "\n");
        try {
            sender.send(message);
        } catch (MailException e) {
            log.warn("Billing notice to account {} could not be sent: {}", accountId, e.getMessage());
        }
    }
}
