package dev.slice.api;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * How the API reads JSON, in one place: Spring MVC's JSON message converter uses this mapper (in place of the
 * one Spring Boot would configure), so every request body of {@code /api/**} is read by these rules. The
 * application's settings (Spring Boot's {@code JsonMapperBuilderCustomizer}s) apply first; then the API takes
 * JSON as it is written, nothing guessed:
 * <ul>
 *   <li>no coercion: {@code "hostname": 123} or {@code true} is not a string, {@code "10"} is not a number,
 *       {@code 10.5} is not a whole number, {@code 1} is not {@code true}, {@code 2} is not an enum value;</li>
 *   <li>unknown fields, a field given twice, {@code null} for a number or a boolean, and anything after the
 *       JSON value are errors;</li>
 *   <li>a body is at most {@link #MAX_BODY_BYTES} (the largest real one, an order with 20 RSA keys, is ~60 KB).</li>
 * </ul>
 * {@link ApiErrors} turns each refusal into a 400 naming the field.
 */
@Configuration(proxyBeanMethods = false)
public class ApiJson {
    public static final long MAX_BODY_BYTES = 1024 * 1024;

    /** Takes the JSON converter's place (after Spring Boot's own customizer, order 0, which it replaces). */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    ServerHttpMessageConvertersCustomizer sliceApiJsonConverter(ObjectProvider<JsonMapperBuilderCustomizer> customizers) {
        JacksonJsonHttpMessageConverter converter = new JacksonJsonHttpMessageConverter(strictMapper(customizers));
        return builder -> builder.withJsonConverter(converter);
    }

    static JsonMapper strictMapper(ObjectProvider<JsonMapperBuilderCustomizer> customizers) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxDocumentLength(MAX_BODY_BYTES).maxNestingDepth(32).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        JsonMapper.Builder builder = JsonMapper.builder(factory);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return strict(builder).build();
    }

    /** The API's reading rules on top of whatever the builder has. */
    static JsonMapper.Builder strict(JsonMapper.Builder builder) {
        return builder
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT, DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
                        DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS, DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT,
                        DeserializationFeature.ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS, MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                // ALLOW_COERCION_OF_SCALARS covers numbers and booleans; strings need their own rule.
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, config -> config
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, config -> config
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, config -> config
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Enum, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
    }
}
