package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.account.MailCatcher;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sign-in with an emailed code or link through the pages' forms (no JavaScript): the code page, and the link's
 * same-browser check: the browser that asked signs in by opening the link, another browser only gets a confirmation
 * button (opening changes nothing), and a used link is dead.
 */
class EmailSignInPagesTests extends PagesTestSupport {

	private static final Pattern LINK = Pattern.compile("(https?://\\S+)");

	private FormClient browser;

	@BeforeEach
	void newBrowser() {
		browser = new FormClient(url());
	}

	@Test
	void signInPageWhenAllMethodsOnThenOffersCodeAndLinkButtonsInTheSameForm() {
		String page = browser.get("/sign-in").body();
		assertThat(page).contains("formaction=\"/sign-in/email-code\"", "formaction=\"/sign-in/email-link\"",
				"Email me a code", "Email me a link");
	}

	@Test
	void codeWhenTypedIntoTheCodePageThenSignedInAndRedirectedAfterAWrongOne() {
		String email = verifiedAccount();
		browser.get("/sign-in");
		HttpResponse<String> codePage = browser.post("/sign-in/email-code", Map.of("email", email));
		assertThat(codePage.statusCode()).isEqualTo(200);
		assertThat(codePage.body()).contains("Enter the code", email, "name=\"flow_id\"");
		String flowId = hidden(codePage.body(), "flow_id");
		String code = MailCatcher.code(MAIL.awaitMessage(email, 2));
		String wrong = code.equals("000000") ? "111111" : "000000";

		HttpResponse<String> refused = browser.post("/sign-in/email-code/verify",
				Map.of("flow_id", flowId, "email", email, "code", wrong));
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.body()).contains("The code is wrong, expired or already used", "href=\"#code\"");

		HttpResponse<String> done = browser.post("/sign-in/email-code/verify",
				Map.of("flow_id", flowId, "email", email, "code", code, "redirect_url", appUrl() + "home"));
		assertThat(done.statusCode()).isEqualTo(303);
		assertThat(done.headers().firstValue("Location")).contains(appUrl() + "home");
		assertThat(browser.cookies).containsKey("plinto_refresh");
	}

	@Test
	void codePageWhenOpenedWithGetByTheLanguageSwitcherThenTheSignInFormInThatLanguage() {
		HttpResponse<String> switched = browser.get("/sign-in/email-code?lang=de");
		assertThat(switched.statusCode()).isEqualTo(200);
		assertThat(switched.body()).contains("<h1>Anmelden</h1>", "Code per E-Mail senden",
				"formaction=\"/sign-in/email-code\"");
	}

	@Test
	void linkWhenOpenedInTheBrowserThatAskedThenSignedInAtOnceAndTheLinkIsSpent() {
		String email = verifiedAccount();
		browser.get("/sign-in");
		HttpResponse<String> sent = browser.post("/sign-in/email-link", Map.of("email", email));
		assertThat(sent.statusCode()).isEqualTo(200);
		assertThat(sent.body()).contains("Check your email", email);
		assertThat(FormClient.setCookie(sent, "plinto_email_link")).contains("HttpOnly", "SameSite=Lax", "Path=/");
		String link = link(email);

		HttpResponse<String> opened = browser.get(path(link));
		assertThat(opened.statusCode()).isEqualTo(303);
		assertThat(opened.headers().firstValue("Location").orElseThrow()).endsWith("/account");
		assertThat(browser.cookies).containsKey("plinto_refresh").doesNotContainKey("plinto_email_link");

		HttpResponse<String> reused = new FormClient(url()).get(path(link));
		assertThat(reused.statusCode()).isEqualTo(400);
		assertThat(reused.body()).contains("This sign-in link is invalid, expired or already used");
	}

	@Test
	void linkWhenOpenedInAnotherBrowserThenConfirmationFirstAndOpeningAloneChangesNothing() {
		String email = verifiedAccount();
		browser.get("/sign-in");
		browser.post("/sign-in/email-link", Map.of("email", email));
		String link = link(email);
		FormClient other = new FormClient(url());

		HttpResponse<String> first = other.get(path(link));
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.body()).contains("asked for in another browser",
				"<form method=\"post\" action=\"/sign-in/email-link/confirm\">");
		assertThat(other.cookies).doesNotContainKey("plinto_refresh");
		HttpResponse<String> prefetchedAgain = other.get(path(link));
		assertThat(prefetchedAgain.statusCode()).as("a GET (a mail scanner's prefetch) spends nothing").isEqualTo(200);

		HttpResponse<String> confirmed = other.post("/sign-in/email-link/confirm",
				Map.of("token", hidden(first.body(), "token")));
		assertThat(confirmed.statusCode()).isEqualTo(303);
		assertThat(other.cookies).containsKey("plinto_refresh");
		assertThat(browser.cookies).as("the browser that asked is not signed in by the other's click")
			.doesNotContainKey("plinto_refresh");

		HttpResponse<String> asker = browser.get(path(link));
		assertThat(asker.statusCode()).as("the link works once").isEqualTo(400);
	}

	@Test
	void linkWhenConfirmedWithoutTheFormsTokenThenRefused() {
		String email = verifiedAccount();
		browser.get("/sign-in");
		browser.post("/sign-in/email-link", Map.of("email", email));
		String link = link(email);
		FormClient other = new FormClient(url());
		String token = hidden(other.get(path(link)).body(), "token");
		HttpResponse<String> refused = other.postRaw("/sign-in/email-link/confirm", Map.of("token", token));
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(other.cookies).doesNotContainKey("plinto_refresh");
	}

	private String link(String email) {
		Matcher m = LINK.matcher(MailCatcher.text(MAIL.awaitMessage(email, 2)));
		assertThat(m.find()).isTrue();
		return m.group(1);
	}

	private static String path(String link) {
		URI uri = URI.create(link);
		return uri.getRawPath() + "?" + uri.getRawQuery();
	}

	private static String hidden(String html, String name) {
		Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(html);
		assertThat(m.find()).as("hidden field " + name).isTrue();
		return m.group(1);
	}
}
