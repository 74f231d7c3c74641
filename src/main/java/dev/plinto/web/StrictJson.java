package dev.plinto.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.jackson.autoconfigure.JsonFactoryBuilderCustomizer;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.io.IOContext;
import tools.jackson.core.io.InputDecorator;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * How every JSON request body is read, once for the whole server (the rest is in {@code application.properties}:
 * unknown fields refused, duplicate keys refused through {@code StreamReadFeature.STRICT_DUPLICATE_DETECTION},
 * no coercion of scalars, no fraction for a whole number). Lenient parsing lets two readers of one request see two
 * different requests, so every ambiguity is refused as a client error instead (OWASP Input Validation Cheat Sheet,
 * "Syntactic validation"; RFC 8259 §4: names within an object "SHOULD be unique"):
 * <ul>
 * <li>the body must be well-formed UTF-8 (RFC 3629 §3, RFC 8259 §8.1): an overlong form such as {@code C0 AF} for
 * {@code /}, a surrogate or a code point above U+10FFFF is malformed and never decoded to a character a filter in
 * front of Plinto did not see;</li>
 * <li>a string field takes only a JSON string, never {@code true} or a number turned into text; a boolean only
 * {@code true}/{@code false};</li>
 * <li>a number must be finite as an IEEE 754 double: {@code 1e999999} is refused, not stored as infinity.</li>
 * </ul>
 * The problems name the field (never its value); see {@code ApiExceptionHandler}.
 */
@Configuration(proxyBeanMethods = false)
class StrictJson {

	/** What a refused number is reported as; the problem names the field. */
	static final String NOT_FINITE = "a number is outside the range of a double";

	@Bean
	JsonFactoryBuilderCustomizer wellFormedUtf8() {
		return builder -> builder.inputDecorator(new WellFormedUtf8());
	}

	@Bean
	JsonMapperBuilderCustomizer noScalarCoercion() {
		return builder -> builder
			.withCoercionConfig(LogicalType.Textual,
					c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Boolean,
					c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
			.addModule(new SimpleModule("plinto-finite-numbers").addDeserializer(Number.class, new FiniteNumber())
				.addDeserializer(Double.class, new FiniteDouble())
				.addDeserializer(Double.TYPE, new FiniteDouble()));
	}

	/** Thrown for a body that is not well-formed UTF-8; rendered as 400 {@code malformed_request}. */
	static final class MalformedUtf8Exception extends CharacterCodingException {

		@Override
		public String getMessage() {
			return "the request body is not well-formed UTF-8";
		}
	}

	/**
	 * Checks the bytes of a body with the JDK's UTF-8 decoder set to report, not replace, malformed input; the JDK
	 * decoder follows RFC 3629 (no overlong forms, no surrogates, nothing above U+10FFFF). The bodies it reads are
	 * bounded by {@link BodySizeLimitFilter}.
	 */
	private static final class WellFormedUtf8 extends InputDecorator {

		@Override
		public InputStream decorate(IOContext ctxt, InputStream in) throws JacksonException {
			try {
				byte[] bytes = in.readAllBytes();
				return decorate(ctxt, bytes, 0, bytes.length);
			}
			catch (IOException e) {
				throw JacksonIOException.construct(e);
			}
		}

		@Override
		public InputStream decorate(IOContext ctxt, byte[] src, int offset, int length) throws JacksonException {
			try {
				StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT)
					.decode(ByteBuffer.wrap(src, offset, length));
			}
			catch (CharacterCodingException e) {
				throw JacksonIOException.construct(new MalformedUtf8Exception());
			}
			return new ByteArrayInputStream(src, offset, length);
		}

		@Override
		public Reader decorate(IOContext ctxt, Reader r) {
			return r; // already characters: the charset decoder that produced them did the checking
		}
	}

	private static final class FiniteNumber extends ValueDeserializer<Number> {

		@Override
		public Number deserialize(JsonParser p, DeserializationContext ctxt) {
			if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
				return p.getNumberValue();
			}
			if (p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
				double value = p.getDoubleValue();
				return Double.isFinite(value) ? value : ctxt.reportInputMismatch(this, NOT_FINITE);
			}
			return (Number) ctxt.handleUnexpectedToken(Number.class, p);
		}
	}

	private static final class FiniteDouble extends ValueDeserializer<Double> {

		@Override
		public Double deserialize(JsonParser p, DeserializationContext ctxt) {
			if (p.currentToken() == JsonToken.VALUE_NUMBER_INT || p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
				double value = p.getDoubleValue();
				return Double.isFinite(value) ? value : ctxt.reportInputMismatch(this, NOT_FINITE);
			}
			return (Double) ctxt.handleUnexpectedToken(Double.class, p);
		}
	}
}
