package dev.plinto.web;

import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.providers.ObjectMapperProvider;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document served at {@code /openapi.json} (Swagger UI at {@code /docs}): general information, the
 * bearer scheme, the shared {@code Problem} schema, and for every operation the error codes it can answer with,
 * declared next to the handler with {@link Errors}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
public class ApiDocs {

	static {
		// Resolved from the request by CallerArgumentResolver: neither is a request parameter or body.
		SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class, ClientInfo.class);
	}

	/** The problem {@code code}s an operation can answer with; each becomes a documented response. */
	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	public @interface Errors {
		String[] value();
	}

	@Bean
	OpenAPI plintoOpenApi() {
		ObjectSchema problem = new ObjectSchema();
		problem.addProperty("type", new StringSchema().description("URI of the documentation of this code"));
		problem.addProperty("title", new StringSchema());
		problem.addProperty("status", new IntegerSchema());
		problem.addProperty("detail", new StringSchema().description("What happened and what to do"));
		problem.addProperty("code", new StringSchema().description("Stable machine code")
			._enum(Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList()));
		problem.addProperty("request_id", new StringSchema());
		problem.addProperty("errors", new io.swagger.v3.oas.models.media.ArraySchema().items(new ObjectSchema()
			.addProperty("field", new StringSchema())
			.addProperty("code", new StringSchema())
			.addProperty("message", new StringSchema())));
		return new OpenAPI()
			.info(new Info().title("Plinto API")
				.version("v1")
				.description("Self-hosted authentication: accounts, sessions and signed tokens. Errors are RFC 9457 "
						+ "problem details with a stable `code`; see docs/api.md."))
			.components(new Components().addSecuritySchemes("bearer",
					new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT"))
				.addSchemas("Problem", problem));
	}

	/**
	 * Describes request and response bodies in snake_case, as the API serialises them (springdoc reads models
	 * with its own Jackson 2 mapper, which does not see Spring's Jackson 3 naming strategy).
	 */
	@Bean
	ModelResolver snakeCaseModels(ObjectMapperProvider mappers) {
		return new ModelResolver(mappers.jsonMapper().copy()
			.setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE));
	}

	@Bean
	OperationCustomizer problemResponses() {
		return (operation, handler) -> {
			Errors errors = handler.getMethodAnnotation(Errors.class);
			if (errors == null) {
				return operation;
			}
			Map<Integer, String> byStatus = new TreeMap<>(Arrays.stream(errors.value())
				.map(code -> ErrorCode.valueOf(code.toUpperCase(Locale.ROOT)))
				.collect(Collectors.groupingBy(c -> c.status().value(),
						Collectors.mapping(c -> "`" + c.code() + "`: " + c.action(), Collectors.joining(" ")))));
			ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
			byStatus.forEach((status, description) -> responses.addApiResponse(Integer.toString(status),
					new ApiResponse().description(description)
						.content(new Content().addMediaType("application/problem+json",
								new MediaType().schema(new ObjectSchema().$ref("#/components/schemas/Problem"))))));
			operation.setResponses(responses);
			return operation;
		};
	}
}
