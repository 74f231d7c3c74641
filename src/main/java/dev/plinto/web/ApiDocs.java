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
import org.springdoc.core.customizers.OpenApiCustomizer;
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

	/**
	 * The success status of an operation that does not answer 200 (201 Created, 202 Accepted, 204 No Content).
	 * The response springdoc derives from the return type moves to this status; a 204 carries no content.
	 */
	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	public @interface Status {
		int value();

		String description();
	}

	/**
	 * A health check's 503: the same body as its 200, with {@code status} {@code DOWN}, so that load balancers and
	 * monitors reading the document see both answers.
	 */
	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	public @interface Down {
		String value();
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
				.addSecuritySchemes("apiKey", new SecurityScheme().type(SecurityScheme.Type.HTTP)
					.scheme("bearer")
					.bearerFormat("sk_live_…")
					.description("A secret API key of the Backend API (/v1/admin/…), with scopes; docs/api.md"))
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

	/**
	 * Lets a request field's {@code @Schema(minLength, maxLength)} win over its {@code @Size}, which swagger applies
	 * last: a password field keeps a generous {@code @Size} against abuse while its schema states the password
	 * policy's real bounds (8–128). Applied to the request body records of every operation, by schema name.
	 */
	@Bean
	OpenApiCustomizer schemaLengthsOverSize(
			@org.springframework.beans.factory.annotation.Qualifier("requestMappingHandlerMapping")
			org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping mappings) {
		return openApi -> {
			if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
				return;
			}
			mappings.getHandlerMethods().values().stream()
				.flatMap(h -> Arrays.stream(h.getMethodParameters()))
				.filter(p -> p.hasParameterAnnotation(org.springframework.web.bind.annotation.RequestBody.class))
				.map(org.springframework.core.MethodParameter::getParameterType)
				.filter(Class::isRecord)
				.distinct()
				.forEach(type -> {
					io.swagger.v3.oas.models.media.Schema<?> model = openApi.getComponents()
						.getSchemas()
						.get(type.getSimpleName());
					if (model == null || model.getProperties() == null) {
						return;
					}
					for (java.lang.reflect.RecordComponent c : type.getRecordComponents()) {
						io.swagger.v3.oas.annotations.media.Schema declared = c.getAccessor()
							.getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class);
						io.swagger.v3.oas.models.media.Schema<?> property = model.getProperties()
							.get(ApiExceptionHandler.snake(c.getName()));
						if (declared == null || property == null) {
							continue;
						}
						if (declared.maxLength() != Integer.MAX_VALUE) {
							property.setMaxLength(declared.maxLength());
						}
						if (declared.minLength() > 0) {
							property.setMinLength(declared.minLength());
						}
					}
				});
		};
	}

	/**
	 * Makes the document portable JSON Schema 2020-12, the dialect of OpenAPI 3.1, so that validators other than
	 * Java's can use it (JSON Schema Validation 2020-12 §6.3.3: a {@code pattern} is an ECMA-262 regular
	 * expression and is not implicitly anchored):
	 * <ul>
	 * <li>every {@code pattern} is anchored ({@code ^(?:…)$}), as Bean Validation's {@code @Pattern} matches the
	 * whole value; the patterns themselves use only syntax Java and ECMAScript share ({@link #ONE_LINE});</li>
	 * <li>{@code nullable: true} (OpenAPI 3.0) becomes a {@code "null"} member of {@code type} (3.1);</li>
	 * <li>a request body is a closed object ({@code additionalProperties: false}: an unknown field is refused) whose
	 * optional fields also take {@code null} (read as absent);</li>
	 * <li>{@code public_metadata}, {@code private_metadata} and {@code unsafe_metadata} are objects whose values are
	 * any JSON value, as the server stores them;</li>
	 * <li>a page's {@code limit} is 1 to {@value Page#MAX_LIMIT}.</li>
	 * </ul>
	 */
	@Bean
	OpenApiCustomizer portableSchemas(
			@org.springframework.beans.factory.annotation.Qualifier("requestMappingHandlerMapping")
			org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping mappings) {
		return openApi -> {
			if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
				return;
			}
			Map<String, io.swagger.v3.oas.models.media.Schema> schemas = openApi.getComponents().getSchemas();
			requestRecords(mappings).forEach(type -> {
				io.swagger.v3.oas.models.media.Schema<?> model = schemas.get(type.getSimpleName());
				if (model == null || model.getProperties() == null) {
					return;
				}
				model.setTypes(new java.util.LinkedHashSet<>(java.util.List.of("object")));
				model.setAdditionalProperties(Boolean.FALSE);
				java.util.List<String> required = model.getRequired() == null ? java.util.List.of()
						: model.getRequired();
				model.getProperties().forEach((name, property) -> {
					if (!required.contains(name)) {
						property.setNullable(Boolean.TRUE);
					}
				});
			});
			java.util.Set<io.swagger.v3.oas.models.media.Schema<?>> seen = java.util.Collections
				.newSetFromMap(new java.util.IdentityHashMap<>());
			schemas.values().forEach(schema -> portable(schema, seen));
			if (openApi.getPaths() != null) {
				openApi.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> {
					if (operation.getResponses() != null) {
						operation.getResponses().values().stream()
							.filter(response -> response.getContent() != null)
							.flatMap(response -> response.getContent().values().stream())
							.forEach(media -> alternatives(media.getSchema(), seen));
					}
					if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
						operation.getRequestBody().getContent().values()
							.forEach(media -> portable(media.getSchema(), seen));
					}
					if (operation.getParameters() != null) {
						operation.getParameters().forEach(parameter -> {
							if ("limit".equals(parameter.getName()) && parameter.getSchema() != null) {
								// Page.rowsFor refuses anything else with validation_failed
								parameter.getSchema().setMinimum(java.math.BigDecimal.ONE);
								parameter.getSchema().setMaximum(java.math.BigDecimal.valueOf(Page.MAX_LIMIT));
							}
							portable(parameter.getSchema(), seen);
						});
					}
				}));
			}
		};
	}

	/**
	 * One line of text: no control characters (C0 and DEL). Written with escapes that Java and ECMAScript read
	 * alike, unlike Java's {@code \p{Cntrl}}.
	 */
	public static final String ONE_LINE = "[^\\x00-\\x1F\\x7F]*";

	/** {@link #ONE_LINE} with at least one character other than a space; linear to match (no nested choice). */
	public static final String NON_BLANK_LINE = "[ ]*[^\\x00-\\x20\\x7F][^\\x00-\\x1F\\x7F]*";

	/**
	 * A response that has several documented shapes for one status (a token response or an enrolment step) lists
	 * them under {@code anyOf}: the shapes are open objects that share fields, so {@code oneOf}, which demands that
	 * exactly one match, would refuse the very answers it describes.
	 */
	private static void alternatives(io.swagger.v3.oas.models.media.Schema<?> schema,
			java.util.Set<io.swagger.v3.oas.models.media.Schema<?>> seen) {
		if (schema != null && schema.getOneOf() != null) {
			schema.setAnyOf(schema.getOneOf());
			schema.setOneOf(null);
		}
		portable(schema, seen);
	}

	private static void portable(io.swagger.v3.oas.models.media.Schema<?> schema,
			java.util.Set<io.swagger.v3.oas.models.media.Schema<?>> seen) {
		if (schema == null || !seen.add(schema)) {
			return;
		}
		if (schema.getPattern() != null && !schema.getPattern().startsWith("^")) {
			schema.setPattern("^(?:" + schema.getPattern() + ")$");
		}
		if (Boolean.TRUE.equals(schema.getNullable())) {
			schema.setNullable(null);
			if (schema.getTypes() != null && !schema.getTypes().isEmpty()) {
				java.util.Set<String> types = new java.util.LinkedHashSet<>(schema.getTypes());
				types.add("null");
				schema.setTypes(types);
			}
			else if (schema.get$ref() != null) {
				String ref = schema.get$ref();
				schema.set$ref(null);
				schema.setAnyOf(java.util.List.of(new io.swagger.v3.oas.models.media.Schema<>().$ref(ref),
						new io.swagger.v3.oas.models.media.Schema<>().typesItem("null")));
			}
		}
		if (schema.getProperties() != null) {
			schema.getProperties().replaceAll((name, property) -> {
				if (!java.util.Set.of("public_metadata", "private_metadata", "unsafe_metadata").contains(name)) {
					return property;
				}
				io.swagger.v3.oas.models.media.Schema<?> anyObject = new io.swagger.v3.oas.models.media.Schema<>()
					.typesItem("object")
					.additionalProperties(Boolean.TRUE)
					.description("A JSON object of at most 8 KiB; its values are any JSON values");
				if (Boolean.TRUE.equals(property.getNullable())
						|| property.getTypes() != null && property.getTypes().contains("null")) {
					anyObject.typesItem("null");
				}
				return anyObject;
			});
			schema.getProperties().values().forEach(property -> portable(property, seen));
		}
		portable(schema.getItems(), seen);
		if (schema.getAdditionalProperties() instanceof io.swagger.v3.oas.models.media.Schema<?> additional) {
			portable(additional, seen);
		}
		for (java.util.List<io.swagger.v3.oas.models.media.Schema> group : java.util.Arrays.asList(schema.getAllOf(),
				schema.getAnyOf(), schema.getOneOf())) {
			if (group != null) {
				group.forEach(member -> portable(member, seen));
			}
		}
	}

	private static java.util.stream.Stream<Class<?>> requestRecords(
			org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping mappings) {
		return mappings.getHandlerMethods()
			.values()
			.stream()
			.flatMap(h -> Arrays.stream(h.getMethodParameters()))
			.filter(p -> p.hasParameterAnnotation(org.springframework.web.bind.annotation.RequestBody.class))
			.<Class<?>>map(org.springframework.core.MethodParameter::getParameterType)
			.filter(Class::isRecord)
			.distinct();
	}

	@Bean
	OperationCustomizer problemResponses() {
		return (operation, handler) -> {
			Status success = handler.getMethodAnnotation(Status.class);
			if (success != null && operation.getResponses() != null) {
				ApiResponse ok = operation.getResponses().remove("200");
				ApiResponse response = ok == null ? new ApiResponse() : ok;
				response.description(success.description());
				if (success.value() == 204) {
					response.setContent(null);
				}
				operation.getResponses().addApiResponse(Integer.toString(success.value()), response);
			}
			Down down = handler.getMethodAnnotation(Down.class);
			if (down != null && operation.getResponses() != null && operation.getResponses().get("200") != null) {
				operation.getResponses().addApiResponse("503", new ApiResponse().description(down.value())
					.content(operation.getResponses().get("200").getContent()));
			}
			Errors errors = handler.getMethodAnnotation(Errors.class);
			java.util.List<String> codes = new java.util.ArrayList<>(
					errors == null ? java.util.List.of() : Arrays.asList(errors.value()));
			if (operation.getParameters() != null
					&& operation.getParameters().stream().anyMatch(p -> "path".equals(p.getIn()))
					&& !codes.contains("malformed_request")) {
				// a path segment holding what the request firewall refuses ('%2F', '%25', ';', '..')
				codes.add("malformed_request");
			}
			if (codes.isEmpty()) {
				return operation;
			}
			Map<Integer, String> byStatus = new TreeMap<>(codes.stream()
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
