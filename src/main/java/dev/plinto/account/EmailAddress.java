package dev.plinto.account;

import com.ibm.icu.text.IDNA;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;
import com.ibm.icu.text.UnicodeSet;
import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one rule for email addresses, wherever one comes in (sign-up, sign-in, verification and reset requests,
 * invitations): what a person reads as one address must be one account. A look-alike (fullwidth letters, a
 * Cyrillic {@code а} among Latin letters, a zero-width space, a decomposed accent, a Unicode domain beside its
 * punycode form) is either folded into the same form or refused. The rule, also in {@code docs/security.md}:
 * <ol>
 * <li>Surrounding white space is removed, the same everywhere ({@link #strip}); white space inside is refused.</li>
 * <li>The address is put in Unicode Normalization Form C (UAX #15), so a decomposed accent equals the composed
 * one.</li>
 * <li>It is {@code local@domain}, split at the last {@code @}; the local part is a dot-atom (RFC 5322 §3.4.1, RFC
 * 6531 §3.3) of at most 64 octets (RFC 5321 §4.5.3.1.1): ASCII {@code atext}, and beyond ASCII only characters
 * that UTS #39 §3.1 recommends for identifiers (no invisible, format, symbol or compatibility characters, so no
 * fullwidth letters). Quoted local parts are refused.</li>
 * <li>The local part passes ICU's UTS #39 {@link SpoofChecker}: one script, or the "highly restrictive" mixes of
 * §5.2 (Latin with Han and kana, Han with Hangul, …), no invisible repeated marks, digits of one system. A
 * non-ASCII local part whose confusable skeleton (UTS #39 §4) is all ASCII is refused too: it reads as an ASCII
 * address it is not (an all-Cyrillic {@code раураl}).</li>
 * <li>The domain is converted to its ASCII form by IDNA (UTS #46 nontransitional, STD3 rules, bidi and context
 * checks), so {@code bücher.example} and {@code xn--bcher-kva.example} are one domain. It must be a fully qualified
 * name: at least two labels and a top-level label that is not all digits (RFC 3696 §2). {@code a@b},
 * {@code a@localhost} and address literals ({@code a@[192.0.2.1]}) are refused: no mailbox on the public internet
 * has them.</li>
 * <li>The whole address is at most 254 octets (RFC 5321 §4.5.3.1.3 less the angle brackets) and stored in lower
 * case (ROOT locale).</li>
 * </ol>
 * Accounts created before this rule keep working: {@link #lookupForms} also yields the earlier stored form (white
 * space stripped, lower case), so signing in with the address as it was stored still finds the account (OWASP
 * Authentication Cheat Sheet, "User IDs": case-insensitive, unambiguous identifiers).
 */
public final class EmailAddress {

	/** RFC 5322 §3.2.3 {@code atext}, ASCII; the dot of a dot-atom is checked separately. */
	private static final UnicodeSet ASCII_ATEXT = new UnicodeSet().add('A', 'Z')
		.add('a', 'z')
		.add('0', '9')
		.addAll("!#$%&'*+/=?^_`{|}~-")
		.freeze();

	/** UTS #39 §3.1 recommended identifier characters, plus ASCII {@code atext} and the dot. */
	private static final UnicodeSet ALLOWED = new UnicodeSet(SpoofChecker.RECOMMENDED).addAll(ASCII_ATEXT)
		.add('.')
		.freeze();

	private static final SpoofChecker SPOOF = new SpoofChecker.Builder()
		.setRestrictionLevel(SpoofChecker.RestrictionLevel.HIGHLY_RESTRICTIVE)
		.setAllowedChars(ALLOWED)
		.setChecks(SpoofChecker.RESTRICTION_LEVEL | SpoofChecker.INVISIBLE | SpoofChecker.CHAR_LIMIT
				| SpoofChecker.MIXED_NUMBERS)
		.build();

	private static final IDNA IDNA_UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII | IDNA.USE_STD3_RULES
			| IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ | IDNA.CHECK_CONTEXTO);

	private static final Normalizer2 NFC = Normalizer2.getNFCInstance();

	private static final Normalizer2 NFKC = Normalizer2.getNFKCInstance();

	private static final Normalizer2 NFD = Normalizer2.getNFDInstance();

	static final int MAX_LOCAL_OCTETS = 64;

	static final int MAX_OCTETS = 254;

	private EmailAddress() {
	}

	/** The one trimming rule: white space (Unicode {@code White_Space}, as {@link String#strip}) around it goes. */
	public static String strip(String raw) {
		return raw == null ? "" : raw.strip();
	}

	/**
	 * The stored form of an address a new account, invitation or email change will hold, or a 400
	 * {@code validation_failed} naming {@code field} with the reason (never echoing the address).
	 */
	public static String canonical(String field, String raw) {
		Check check = check(raw);
		if (check.refusal() != null) {
			throw ApiException.validation(field, ErrorCode.VALIDATION_FAILED, field + " " + check.refusal() + ".");
		}
		return check.canonical();
	}

	/** The stored form when the address follows the rule. */
	public static Optional<String> canonical(String raw) {
		return Optional.ofNullable(check(raw).canonical());
	}

	/**
	 * The ASCII (IDNA, UTS #46) lower-case form of a domain name such as {@code Bücher.example} or {@code acme.com},
	 * by the same rule as the domain of an address; empty when it is not a valid internet domain name.
	 */
	public static Optional<String> asciiDomain(String raw) {
		String domain = NFC.normalize(strip(raw));
		if (domain.isEmpty() || domain.startsWith("[")) {
			return Optional.empty();
		}
		StringBuilder ascii = new StringBuilder();
		IDNA.Info info = new IDNA.Info();
		IDNA_UTS46.nameToASCII(domain, ascii, info);
		if (info.hasErrors() || ascii.isEmpty() || ascii.charAt(ascii.length() - 1) == '.') {
			return Optional.empty();
		}
		return Optional.of(ascii.toString().toLowerCase(Locale.ROOT));
	}

	/** The domain (ASCII, lower case) of an address that follows the rule, as {@link #canonical(String)} has it. */
	public static Optional<String> domainOf(String raw) {
		return canonical(raw).map(c -> c.substring(c.lastIndexOf('@') + 1));
	}

	/**
	 * The forms under which an existing account with this address may be stored, most current first: the
	 * {@linkplain #canonical(String) canonical form} when the address follows the rule, then the forms an account
	 * stored before the rule may have: the domain in Unicode, and the address as sent with white space stripped and
	 * in lower case.
	 */
	public static List<String> lookupForms(String raw) {
		List<String> forms = new ArrayList<>(3);
		canonical(raw).ifPresent(canonical -> {
			forms.add(canonical);
			// an earlier account may hold the Unicode form of a domain sent here in its ASCII (punycode) form
			int at = canonical.lastIndexOf('@');
			StringBuilder unicode = new StringBuilder();
			IDNA.Info info = new IDNA.Info();
			IDNA_UTS46.nameToUnicode(canonical.substring(at + 1), unicode, info);
			String earlier = canonical.substring(0, at + 1) + unicode;
			if (!info.hasErrors() && !earlier.equals(canonical)) {
				forms.add(earlier);
			}
		});
		String legacy = strip(raw).toLowerCase(Locale.ROOT);
		if (!forms.contains(legacy)) {
			forms.add(legacy);
		}
		return forms;
	}

	/** Whether two addresses (as sent or as stored, earlier form included) name the same mailbox. */
	public static boolean same(String a, String b) {
		List<String> other = lookupForms(b);
		return lookupForms(a).stream().anyMatch(other::contains);
	}

	/** The canonical form, or why the address is refused (a sentence fragment after the field name). */
	record Check(String canonical, String refusal) {

		static Check refused(String why) {
			return new Check(null, why);
		}
	}

	static Check check(String raw) {
		String address = NFC.normalize(strip(raw));
		int at = address.lastIndexOf('@');
		if (at <= 0 || at == address.length() - 1) {
			return Check.refused("must be an email address: a local part, @ and a domain such as example.com");
		}
		String local = address.substring(0, at);
		String domain = address.substring(at + 1);
		String why = localPartProblem(local);
		if (why != null) {
			return Check.refused(why);
		}
		if (domain.startsWith("[")) {
			return Check.refused("must have a domain name: address literals such as [192.0.2.1] are not accepted");
		}
		StringBuilder ascii = new StringBuilder();
		IDNA.Info info = new IDNA.Info();
		IDNA_UTS46.nameToASCII(domain, ascii, info);
		if (info.hasErrors() || ascii.isEmpty() || ascii.charAt(ascii.length() - 1) == '.') {
			return Check.refused("has a domain that is not a valid internet domain name (IDNA, UTS #46)");
		}
		String[] labels = ascii.toString().split("\\.");
		if (labels.length < 2 || labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9')) {
			return Check.refused("must have a fully qualified domain such as example.com: single names such as "
					+ "localhost and numeric addresses are not accepted");
		}
		String canonical = NFC.normalize(local.toLowerCase(Locale.ROOT)) + "@"
				+ ascii.toString().toLowerCase(Locale.ROOT);
		if (canonical.getBytes(StandardCharsets.UTF_8).length > MAX_OCTETS) {
			return Check.refused("must be at most " + MAX_OCTETS + " octets long (RFC 5321)");
		}
		return new Check(canonical, null);
	}

	private static String localPartProblem(String local) {
		if (local.startsWith("\"")) {
			return "must not have a quoted local part";
		}
		if (local.getBytes(StandardCharsets.UTF_8).length > MAX_LOCAL_OCTETS) {
			return "must have a local part (before the @) of at most " + MAX_LOCAL_OCTETS + " octets (RFC 5321)";
		}
		if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
			return "must not start or end its local part with a dot, nor have two dots in a row";
		}
		if (!ALLOWED.containsAll(local)) {
			return "holds a character not allowed in an email address (white space, an invisible or control "
					+ "character, a symbol, or a compatibility form such as a fullwidth letter)";
		}
		if (ASCII_ATEXT.containsAll(local.replace(".", ""))) {
			return null;
		}
		if (!NFKC.isNormalized(local)) {
			return "holds a compatibility form of a letter (such as a fullwidth letter); type the plain letter";
		}
		SpoofChecker.CheckResult result = new SpoofChecker.CheckResult();
		if (repeatedMark(local)) {
			return "holds invisible or repeated combining marks in its local part";
		}
		if (SPOOF.failsChecks(local, result)) {
			if ((result.checks & SpoofChecker.INVISIBLE) != 0) {
				return "holds invisible or repeated combining marks in its local part";
			}
			if ((result.checks & SpoofChecker.MIXED_NUMBERS) != 0) {
				return "mixes digits of different number systems in its local part";
			}
			if ((result.checks & SpoofChecker.CHAR_LIMIT) != 0) {
				return "holds a character not recommended for identifiers (Unicode UTS #39)";
			}
			return "mixes letters of different scripts in its local part (for example Latin and Cyrillic), which "
					+ "makes it look like another address";
		}
		if (ASCII_ATEXT.containsAll(SPOOF.getSkeleton(local).replace(".", ""))) {
			return "has a local part whose letters look like ASCII letters they are not (Unicode UTS #39 "
					+ "confusables); type it in ASCII";
		}
		return null;
	}

	/** UTS #39 §5.4: the same nonspacing mark twice in a row (after decomposition) draws as one. */
	private static boolean repeatedMark(String local) {
		int[] cps = NFD.normalize(local).codePoints().toArray();
		for (int i = 1; i < cps.length; i++) {
			if (cps[i] == cps[i - 1] && Character.getType(cps[i]) == Character.NON_SPACING_MARK) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Bean Validation constraint for a request field that takes an email address: the full rule for an address that
	 * will be stored ({@link #canonical(String, String)}); with {@code lookup = true}, for an address that only
	 * finds an existing account, any {@code local@domain} without white space or control characters inside, so that
	 * accounts stored before the rule can still ask for a reset link.
	 */
	@Documented
	@Constraint(validatedBy = Validator.class)
	@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD })
	@Retention(RetentionPolicy.RUNTIME)
	public @interface Valid {

		boolean lookup() default false;

		String message() default "must be an email address";

		Class<?>[] groups() default {};

		Class<? extends Payload>[] payload() default {};
	}

	/** Checks {@link Valid}; a null or blank value is left to {@code @NotBlank}. */
	public static final class Validator implements ConstraintValidator<Valid, String> {

		private boolean lookup;

		@Override
		public void initialize(Valid annotation) {
			this.lookup = annotation.lookup();
		}

		@Override
		public boolean isValid(String value, ConstraintValidatorContext context) {
			if (value == null || value.isBlank()) {
				return true;
			}
			Check check = check(value);
			if (check.refusal() == null) {
				return true;
			}
			if (lookup && plausible(strip(value))) {
				return true;
			}
			context.disableDefaultConstraintViolation();
			context.buildConstraintViolationWithTemplate(check.refusal().replace("{", "\\{").replace("$", "\\$"))
				.addConstraintViolation();
			return false;
		}

		private static boolean plausible(String address) {
			int at = address.lastIndexOf('@');
			return at > 0 && at < address.length() - 1
					&& address.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)
							|| Character.getType(c) == Character.FORMAT);
		}
	}
}
