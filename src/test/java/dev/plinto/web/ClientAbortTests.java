package dev.plinto.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.ApiTestSupport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A client that goes away while its response is being written (a browser tab closed while {@code /docs} loads) is
 * not a server error: one debug line, no ERROR and no stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientAbortTests extends ApiTestSupport {

	private static final String LOGGER = ApiExceptionHandler.class.getName();

	private final LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());

	@BeforeEach
	void debugLineVisible() {
		logging.setLogLevel(LOGGER, LogLevel.DEBUG);
	}

	@AfterEach
	void levelBack() {
		logging.setLogLevel(LOGGER, null);
	}

	/**
	 * Asks for a large resource with a small receive window, reads the status line, then resets the connection
	 * (linger 0) while the server is still writing.
	 */
	private void abortMidResponse(String path) throws IOException {
		try (Socket socket = new Socket()) {
			socket.setReceiveBufferSize(1024);
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
			socket.setSoTimeout(5_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
			assertThat(status).isEqualTo("HTTP/1.1 200");
			socket.setSoLinger(true, 0);
		}
	}

	/** Swagger UI's script (about 1.5 MB), beside the page {@code /docs} redirects to. */
	private String largeResource() throws Exception {
		HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
		HttpResponse<Void> docs = http.send(HttpRequest.newBuilder(URI.create(api.base() + "/docs")).build(),
				HttpResponse.BodyHandlers.discarding());
		assertThat(docs.statusCode()).isEqualTo(200);
		return docs.uri().resolve("swagger-ui-bundle.js").getPath();
	}

	@Test
	void responseWhenClientResetsMidwayThenDebugLineAndNoErrorOrStackTrace(CapturedOutput output) throws Exception {
		String path = largeResource();
		// The socket buffers may take a whole response before the reset lands; each try is one more request.
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			abortMidResponse(path);
			assertThat(output.getAll()).contains("Client went away before the response was complete");
		});

		assertThat(output.getAll()).doesNotContain("ERROR")
			.doesNotContain("Unexpected error")
			.doesNotContainPattern("\\sat (org|java|dev)\\.");
	}
}
