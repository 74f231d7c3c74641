package dev.plinto.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorCodeTests {

	@Test
	void forStatusWhenStatusHasItsOwnCodeThenThatCode() {
		assertThat(ErrorCode.forStatus(401)).isEqualTo(ErrorCode.UNAUTHENTICATED);
		assertThat(ErrorCode.forStatus(404)).isEqualTo(ErrorCode.NOT_FOUND);
		assertThat(ErrorCode.forStatus(413)).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
		assertThat(ErrorCode.forStatus(429)).isEqualTo(ErrorCode.RATE_LIMITED);
		assertThat(ErrorCode.forStatus(503)).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
	}

	@Test
	void forStatusWhenTomcatRefusesTheProtocolThenHttpNotSupported() {
		assertThat(ErrorCode.forStatus(501)).isEqualTo(ErrorCode.HTTP_NOT_SUPPORTED);
		assertThat(ErrorCode.forStatus(505)).isEqualTo(ErrorCode.HTTP_NOT_SUPPORTED);
	}

	@Test
	void forStatusWhenStatusHasNoCodeOfItsOwnThenMalformedRequestOrInternalError() {
		assertThat(ErrorCode.forStatus(400)).isEqualTo(ErrorCode.MALFORMED_REQUEST);
		assertThat(ErrorCode.forStatus(414)).isEqualTo(ErrorCode.MALFORMED_REQUEST);
		assertThat(ErrorCode.forStatus(500)).isEqualTo(ErrorCode.INTERNAL_ERROR);
		assertThat(ErrorCode.forStatus(502)).isEqualTo(ErrorCode.INTERNAL_ERROR);
	}
}
