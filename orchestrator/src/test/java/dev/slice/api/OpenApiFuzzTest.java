package dev.slice.api;

import static dev.slice.testing.ApiHttp.fields;
import static dev.slice.testing.ApiHttp.isApiError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.testing.ApiHttp;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.job.JobWorker;
import dev.slice.node.NodeService;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Walks every operation of the API's own OpenAPI document and sends it malformed input, as the operator (who may
 * do everything) and without credentials: for each field of each request body a wrong JSON type, NUL and ESC,
 * huge strings and numbers, plus unknown fields, bodies that are not JSON or not objects, malformed path and query
 * parameters and methods the path does not have. Every answer must be a 4xx in the API's JSON error shape (never a
 * 5xx, never a success), a field's refusal must name that field, and no table may change.
 *
 * <p>Each body starts from a valid request against real rows (a real server, plan, account, node), so that a
 * refusal can only come from the one thing made wrong.
 */
@SliceSpringTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiFuzzTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String HUGE = "h".repeat(100_000);
    /** Query parameters that are a list's search text (dev.slice.search.SearchText). */
    private static final Set<String> FREE_TEXT_PARAMETERS = Set.of("q");

    @LocalServerPort int port;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired ApiTokenService tokens;
    @Autowired OrderService orders;
    @Autowired NodeService nodes;
    @Autowired JobWorker worker;
    @Autowired JdbcClient jdbc;

    ApiHttp api;
    String operator;
    Map<String, Long> realIds = new LinkedHashMap<>();
    Map<String, JsonNode> validValues = new LinkedHashMap<>();
    JsonNode document;
    final List<String> failures = new ArrayList<>();
    int requests;

    @BeforeAll
    void realThings() {
        api = new ApiHttp(port);
        Actor op = Tenants.operator(accounts);
        Actor reseller = Tenants.reseller(accounts, plans, "fuzz-res");
        Actor customer = Tenants.customer(accounts, reseller, "fuzz-cus");
        Plan small = Tenants.plan(plans, reseller, "fuzz-small", 1, 256, 1024);
        Plan larger = Tenants.plan(plans, reseller, "fuzz-larger", 1, 512, 2048);
        Plan operatorPlan = Tenants.plan(plans, op, "fuzz-operator", 1, 256, 1024);
        long serverId = orders.order(customer, new OrderRequest(small.id(), "fuzz-server", "debian-12", Tenants.PASSWORD, List.of(), null))
                .serverId();
        worker.runDue();
        operator = tokens.create(op, "fuzz").token();
        api.json(operator, "GET", "/api/me", null); // its last-used stamp, before the tables are compared
        realIds.put("/api/servers/", serverId);
        realIds.put("/api/plans/", operatorPlan.id());
        realIds.put("/api/accounts/", customer.accountId());
        realIds.put("/api/resellers/", reseller.accountId());
        realIds.put("/api/nodes/", nodes.findByName("local").orElseThrow().id());
        realIds.put("/api/jobs/", 1L);
        // A valid value per field name: the operator's order for a customer, a resize to the larger plan, etc.
        validValues.put("planId", NODES.numberNode(small.id()));
        validValues.put("hostname", NODES.stringNode("fuzz-ordered"));
        validValues.put("template", NODES.stringNode("debian-12"));
        validValues.put("rootPassword", NODES.stringNode(Tenants.PASSWORD));
        validValues.put("sshKeys", NODES.arrayNode());
        validValues.put("ownerId", NODES.numberNode(customer.accountId()));
        validValues.put("role", NODES.stringNode("CUSTOMER"));
        validValues.put("username", NODES.stringNode("fuzz-new"));
        validValues.put("displayName", NODES.stringNode("Fuzz"));
        validValues.put("email", NODES.stringNode("fuzz@example.org"));
        validValues.put("password", NODES.stringNode("Fuzz-Password-42"));
        // The operator's real one: a wrong one would be throttled (429) after five and hide the checks of the other field.
        validValues.put("currentPassword", NODES.stringNode(SliceSpringTest.OPERATOR_PASSWORD));
        validValues.put("newPassword", NODES.stringNode("Fuzz-Password-43"));
        validValues.put("parentId", NODES.numberNode(reseller.accountId()));
        validValues.put("enabled", NODES.booleanNode(true));
        validValues.put("name", NODES.stringNode("fuzz-name"));
        validValues.put("scope", NODES.stringNode("read-only"));
        validValues.put("expiresAt", NODES.stringNode(java.time.Instant.now().plus(java.time.Duration.ofDays(1)).toString()));
        validValues.put("backend", NODES.stringNode("oci"));
        validValues.put("vcpus", NODES.numberNode(1));
        validValues.put("memoryMiB", NODES.numberNode(256));
        validValues.put("diskMiB", NODES.numberNode(1024));
        validValues.put("bandwidthMbit", NODES.numberNode(0));
        validValues.put("monthlyPriceCents", NODES.numberNode(100));
        validValues.put("trafficAllowanceGb", NODES.numberNode(0));
        validValues.put("overagePerGbCents", NODES.numberNode(0));
        validValues.put("maxVcpusPerPlan", NODES.numberNode(2));
        validValues.put("maxMemoryMiBPerPlan", NODES.numberNode(2048));
        validValues.put("maxDiskMiBPerPlan", NODES.numberNode(20480));
        validValues.put("maxServers", NODES.numberNode(10));
        validValues.put("maxVcpus", NODES.numberNode(20));
        validValues.put("maxMemoryMiB", NODES.numberNode(20480));
        validValues.put("maxDiskMiB", NODES.numberNode(204800));
        validValues.put("maxIpv4Addresses", NODES.numberNode(10));
        validValues.put("backends", NODES.arrayNode().add("oci"));
        validValues.put("snapshotLimit", NODES.numberNode(3));
        validValues.put("cpu", NODES.numberNode(2.0));
        validValues.put("memory", NODES.numberNode(1.0));
        validValues.put("disk", NODES.numberNode(1.0));
        validValues.put("nodeId", NODES.numberNode(nodes.findByName("local").orElseThrow().id()));
        validValues.put("depth", NODES.stringNode("quick"));
        validValues.put("density", NODES.booleanNode(false));
        validValues.put("reserveMiB", NODES.numberNode(2048));
        validValues.put("nodeGroup", NODES.stringNode("default"));
        validValues.put("frequency", NODES.stringNode("daily"));
        validValues.put("retention", NODES.numberNode(3));
        validValues.put("backupId", NODES.numberNode(424242));
        validValues.put("draining", NODES.booleanNode(false));
        validValues.put("separateFromMyServers", NODES.booleanNode(false));
        // Billing (its paths are fuzzed against account 424242: refused whatever the body).
        validValues.put("kind", NODES.stringNode("payment"));
        validValues.put("amount", NODES.stringNode("12.50"));
        validValues.put("overagePerGb", NODES.stringNode("0.02"));
        validValues.put("reason", NODES.stringNode("bank transfer"));
        validValues.put("reference", NODES.stringNode("TX-1"));
        validValues.put("legalName", NODES.stringNode("Fuzz Ltd"));
        validValues.put("address", NODES.stringNode("1 Fuzz Road"));
        validValues.put("taxId", NODES.stringNode("EU123"));
        validValues.put("taxRateBp", NODES.numberNode(2000));
        validValues.put("terms", NODES.stringNode("prepaid"));
        // Two-factor sign-in: the operator has none, so a well-formed code is refused as a whole (409).
        validValues.put("code", NODES.stringNode("123456"));
        // The installation's two-factor policy: off as it is, so a valid body changes nothing.
        validValues.put("requiredForStaff", NODES.booleanNode(false));
        // A server's firewall (the fuzzed server's own: every malformed body is refused before anything is written).
        validValues.put("defaultAction", NODES.stringNode("deny"));
        validValues.put("rules", NODES.arrayNode());
        validValues.put("action", NODES.stringNode("allow"));
        validValues.put("protocol", NODES.stringNode("tcp"));
        validValues.put("ports", NODES.stringNode("22"));
        validValues.put("source", NODES.stringNode("192.0.2.0/24"));
        var response = api.json(null, "GET", "/api/openapi", null);
        assertThat(response.statusCode()).isEqualTo(200);
        document = ApiHttp.body(response);
        // The resize goes to the larger plan of the server's seller.
        validValues.put("resize.planId", NODES.numberNode(larger.id()));
        validValues.put("bulk-power.action", NODES.stringNode("start"));
        validValues.put("serverIds", NODES.arrayNode().add(424242));
    }

    @Test
    void noMalformedRequestToAnyOperationGetsA5xxOrASuccessOrChangesAnything() {
        Map<String, String> before = TableDigest.of(jdbc);
        int operations = 0;
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            Set<String> documented = new java.util.HashSet<>();
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                operations++;
                String method = operation.getKey().toUpperCase();
                documented.add(method);
                fuzzOperation(method, path.getKey(), operation.getValue());
            }
            for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
                if (!documented.contains(method)) expectRefusal(operator, method, withIds(path.getKey()), null, null, "undocumented method", null);
            }
        }
        assertThat(operations).isGreaterThanOrEqualTo(30);
        assertThat(failures).as(failures.size() + " of " + requests + " requests").isEmpty();
        assertThat(TableDigest.of(jdbc)).isEqualTo(before);
    }

    private void fuzzOperation(String method, String template, JsonNode operation) {
        String path = withIds(template);
        JsonNode schema = schemaOf(operation);
        // Unauthenticated: 401 in the API's shape, whatever is sent.
        expectStatus(null, method, path, schema == null ? null : "{}", "application/json", 401, "no credentials");
        // Every path variable ({id}, and others such as {otherId}), one at a time, the others as usual.
        java.util.regex.Matcher variables = PATH_VARIABLE.matcher(template);
        while (variables.find()) {
            String variable = variables.group();
            for (String id : List.of("abc", "1.5", "-1", "0", "99999999999999999999", "1e3", "%20", "0x10", "9223372036854775807")) {
                expectRefusal(operator, method, withIds(template.replace(variable, id)), schema == null ? null : "{}", "application/json",
                        variable + " " + id, null);
            }
        }
        for (JsonNode parameter : operation.path("parameters")) {
            if (!parameter.get("in").asString().equals("query")) continue;
            String name = parameter.get("name").asString();
            // (An empty value means the default, as in any Spring application; it is not malformed.)
            for (String value : List.of("abc", "-1", "1.5", "99999999999", "%00", "%E2%80%AE")) {
                if (name.equals("force") && value.equals("-1")) continue;
                // A search field's text: any printable text is a valid search (it finds nothing), control characters are not.
                if (FREE_TEXT_PARAMETERS.contains(name) && !value.startsWith("%")) {
                    HttpResponse<String> found = api.send(operator, method, path + "?" + name + "=" + value, null, null);
                    requests++;
                    if (found.statusCode() != 200) failures.add(method + " " + path + " [" + name + "=" + value + "] -> " + found.statusCode());
                    continue;
                }
                expectRefusal(operator, method, path + "?" + name + "=" + value, null, null, name + "=" + value, name);
            }
            if (FREE_TEXT_PARAMETERS.contains(name)) {
                expectRefusal(operator, method, path + "?" + name + "=" + "x".repeat(101), null, null, name + " too long", name);
            }
        }
        if (schema == null) return;
        ObjectNode valid = validBody(template, schema);
        for (String notJson : List.of("{", "[]", "\"text\"", "42", "null", "{\"a\":1} {}", "{" + "\"a\":".repeat(40) + "1" + "}".repeat(40))) {
            expectRefusal(operator, method, path, notJson, "application/json", "body " + abbreviate(notJson), null);
        }
        expectRefusal(operator, method, path, "", "application/json", "empty body", null);
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/xml")) {
            expectStatus(operator, method, path, valid.toString(), type, 415, type);
        }
        expectStatus(operator, method, path, valid.toString(), null, 415, "no Content-Type");
        ObjectNode unknown = valid.deepCopy();
        unknown.put("fuzzUnknown", 1);
        expectRefusal(operator, method, path, unknown.toString(), "application/json", "unknown field", "fuzzUnknown");
        JsonNode properties = schema.path("properties");
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            for (JsonNode wrong : malformed(property.getValue())) {
                // A report run's settings are all optional: null there means the default, as leaving the field out does.
                // So is an order's separateFromMyServers (null: spread as far as they fit, as when it is left out).
                if (wrong.isNull() && (template.equals("/api/reports") || property.getKey().equals("separateFromMyServers"))) continue;
                ObjectNode body = valid.deepCopy();
                body.set(property.getKey(), wrong);
                String text = body.toString();
                String contentType = "application/json";
                expectRefusal(operator, method, path, text, contentType, property.getKey() + " = " + abbreviate(wrong.toString()),
                        text.length() > ApiJson.MAX_BODY_BYTES ? null : property.getKey());
            }
        }
    }

    /** Wrong JSON types, control characters, and values past any bound, for a property of this schema. */
    private List<JsonNode> malformed(JsonNode schema) {
        List<JsonNode> values = new ArrayList<>();
        String type = schema.path("type").asString("object");
        switch (type) {
            case "string" -> {
                values.addAll(List.of(NODES.numberNode(123), NODES.booleanNode(true), NODES.objectNode(), NODES.arrayNode(),
                        NODES.numberNode(1.5)));
                values.addAll(List.of(NODES.stringNode("a\u0000b"), NODES.stringNode("a\u001b[31mb"), NODES.stringNode(HUGE)));
            }
            case "integer" -> {
                values.addAll(List.of(NODES.stringNode("10"), NODES.numberNode(10.5), NODES.numberNode(1.9), NODES.booleanNode(true),
                        NODES.objectNode(), NODES.arrayNode(), NODES.stringNode("")));
                values.addAll(List.of(NODES.numberNode(Long.MAX_VALUE), NODES.numberNode(Long.MIN_VALUE),
                        NODES.numberNode(new java.math.BigInteger("99999999999999999999999")), NODES.numberNode(1e300)));
                if ("int32".equals(schema.path("format").asString())) values.add(NODES.numberNode((long) Integer.MAX_VALUE + 1));
            }
            case "number" -> values.addAll(List.of(NODES.stringNode("NaN"), NODES.stringNode("Infinity"), NODES.stringNode("1"),
                    NODES.booleanNode(true), NODES.arrayNode(), NODES.numberNode(1e308), NODES.numberNode(-1e308),
                    NODES.numberNode(new java.math.BigDecimal("1e400")), NODES.numberNode(0), NODES.nullNode()));
            case "boolean" -> values.addAll(List.of(NODES.stringNode("true"), NODES.numberNode(1), NODES.nullNode(),
                    NODES.stringNode("yes"), NODES.objectNode()));
            case "array" -> {
                values.addAll(List.of(NODES.stringNode("x"), NODES.numberNode(1), NODES.objectNode(), NODES.booleanNode(false)));
                ArrayNode numbers = NODES.arrayNode().add(123);
                ArrayNode nul = NODES.arrayNode().add("a\u0000b");
                ArrayNode huge = NODES.arrayNode().add(HUGE);
                ArrayNode many = NODES.arrayNode();
                for (int i = 0; i < 10_000; i++) many.add("x" + i);
                ArrayNode tooBig = NODES.arrayNode();
                for (int i = 0; i < 12; i++) tooBig.add(HUGE);
                values.addAll(List.of(nul, huge, many, tooBig, NODES.arrayNode().addNull()));
                // Numbers are malformed where strings belong; where ids belong, too many of them are.
                if (!schema.path("items").path("type").asString("").equals("integer")) values.add(numbers);
                ArrayNode manyIds = NODES.arrayNode();
                for (int i = 0; i < 10_000; i++) manyIds.add(i);
                values.add(manyIds);
            }
            default -> values.addAll(List.of(NODES.stringNode("x"), NODES.numberNode(1)));
        }
        if (schema.has("enum")) values.addAll(List.of(NODES.stringNode("NOT_A_VALUE"), NODES.numberNode(0), NODES.stringNode("")));
        return values;
    }

    private ObjectNode validBody(String template, JsonNode schema) {
        ObjectNode body = NODES.objectNode();
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            // A field two operations name alike (a plan's id to resize to, a bulk power action) is keyed by the last segment too.
            String scoped = template.substring(template.lastIndexOf('/') + 1) + "." + property.getKey();
            JsonNode value = validValues.getOrDefault(scoped, validValues.get(property.getKey()));
            assertThat(value).as("a valid value for " + property.getKey() + " of " + template).isNotNull();
            body.set(property.getKey(), value);
        }
        return body;
    }

    private JsonNode schemaOf(JsonNode operation) {
        JsonNode schema = operation.path("requestBody").path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) return null;
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asString().substring("#/components/schemas/".length());
            schema = document.get("components").get("schemas").get(name);
        }
        return schema;
    }

    private String withIds(String template) {
        for (Map.Entry<String, Long> id : realIds.entrySet()) {
            if (template.startsWith(id.getKey() + "{id}")) {
                return PATH_VARIABLE.matcher(template.replace("{id}", String.valueOf(id.getValue()))).replaceAll("424242");
            }
        }
        return PATH_VARIABLE.matcher(template).replaceAll("424242");
    }

    private static final java.util.regex.Pattern PATH_VARIABLE = java.util.regex.Pattern.compile("\\{[^}]+}");

    /** Must be refused: a 4xx in the API's error shape, naming {@code field} (or a field under it) when given. */
    private void expectRefusal(String token, String method, String path, String body, String contentType, String what, String field) {
        HttpResponse<String> response = api.send(token, method, path, body, contentType);
        requests++;
        String label = method + " " + path + " [" + what + "] -> " + response.statusCode() + " " + abbreviate(response.body());
        if (response.statusCode() < 400 || response.statusCode() >= 500 || !isApiError(response)) {
            failures.add(label);
        } else if (field != null && response.statusCode() == 400
                && fields(response).stream().noneMatch(f -> f.equals(field) || f.startsWith(field + "[") || f.startsWith(field + "."))) {
            failures.add(label + " (does not name " + field + ")");
        }
    }

    private void expectStatus(String token, String method, String path, String body, String contentType, int status, String what) {
        HttpResponse<String> response = api.send(token, method, path, body, contentType);
        requests++;
        if (response.statusCode() != status || !isApiError(response)) {
            failures.add(method + " " + path + " [" + what + "] -> " + response.statusCode() + " " + abbreviate(response.body())
                    + " (expected " + status + ")");
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 160 ? text.substring(0, 160) + "..." : text;
    }
}
