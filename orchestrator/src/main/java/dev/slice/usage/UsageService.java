package dev.slice.usage;

import dev.slice.account.Actor;
import dev.slice.error.ValidationException;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.server.Server;
import dev.slice.server.ServerService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Service;

/** A server's usage for whoever may see the server ({@link ServerService#get}'s rule): its month's traffic and its history. */
@Service
public class UsageService {
    private final UsageRepository repository;
    private final ServerService servers;
    private final PlanService plans;
    private final Clock clock;

    public UsageService(UsageRepository repository, ServerService servers, PlanService plans, Clock clock) {
        this.repository = repository;
        this.servers = servers;
        this.plans = plans;
        this.clock = clock;
    }

    /**
     * A month's traffic of a server: in and out, per day, and its plan's allowance (outbound GB; 0 unmetered).
     *
     * @param month "2028-03"; null or blank: this month (UTC)
     */
    public MonthlyTraffic traffic(Actor actor, long serverId, String month) {
        Server server = servers.get(actor, serverId);
        YearMonth which = month(month);
        Traffic total = repository.month(serverId, which);
        Plan plan = plans.find(server.planId()).orElseThrow();
        return new MonthlyTraffic(which.toString(), total.rxBytes(), total.txBytes(), plan.trafficAllowanceGb(), plan.overagePerGbCents(),
                repository.days(serverId, which));
    }

    /** The last hour (every sample), day or 30 days (hourly roll-ups) of a server's usage. */
    public List<UsagePoint> history(Actor actor, long serverId, String range) {
        servers.get(actor, serverId);
        Instant now = clock.instant();
        return switch (range == null || range.isBlank() ? "hour" : range.strip().toLowerCase(Locale.ROOT)) {
            case "hour" -> repository.samples(serverId, now.minus(Duration.ofHours(1)), now.plusSeconds(1));
            case "day" -> repository.hours(serverId, now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(23)), now.plusSeconds(1));
            case "month" -> repository.hours(serverId, now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(30)), now.plusSeconds(1));
            default -> throw new ValidationException("range", "one of hour, day, month");
        };
    }

    private YearMonth month(String text) {
        if (text == null || text.isBlank()) return YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        try {
            YearMonth month = YearMonth.parse(text.strip());
            if (month.getYear() < 2000 || month.getYear() > 9999) throw new ValidationException("month", "a month such as 2028-03");
            return month;
        } catch (DateTimeParseException e) {
            throw new ValidationException("month", "a month such as 2028-03");
        }
    }
}
