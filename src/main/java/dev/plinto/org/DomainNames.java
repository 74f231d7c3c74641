package dev.plinto.org;

import com.google.common.net.InternetDomainName;
import dev.plinto.account.EmailAddress;
import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import java.util.Set;

/**
 * The email domains an organization may claim (docs/federation.md, "Domains"). A claim is normalised to the ASCII
 * form of IDNA (UTS #46, as email addresses are, {@link EmailAddress#asciiDomain}), then refused when it cannot be
 * one organization's own: a public suffix of the Public Suffix List (a bare TLD such as {@code com}, or
 * {@code co.uk}, {@code github.io}), a single label, or a public mail provider whose users belong to no organization
 * (routing {@code gmail.com} to one organization's identity provider would hand it every Gmail user's sign-in).
 * Verification (DNS TXT or an instance operator) then proves control of what passes these checks.
 */
final class DomainNames {

	/** RFC 1035 §2.3.4: a name is at most 253 characters in its text form. */
	static final int MAX_LENGTH = 253;

	/**
	 * Public mail providers whose brand is their name under every registry suffix they use (gmail.com,
	 * hotmail.co.uk, yahoo.fr, gmx.de, …).
	 */
	private static final Set<String> PROVIDER_NAMES = Set.of("gmail", "googlemail", "hotmail", "outlook", "yahoo",
			"ymail", "rocketmail", "aol", "icloud", "gmx", "protonmail", "yandex", "rediffmail");

	/** Public mail providers by registrable domain, where the name alone is also an ordinary word or company. */
	private static final Set<String> PROVIDER_DOMAINS = Set.of("live.com", "live.co.uk", "live.fr", "live.de",
			"live.nl", "live.it", "msn.com", "me.com", "mac.com", "proton.me", "pm.me", "mail.com", "zoho.com",
			"zohomail.com", "fastmail.com", "fastmail.fm", "tutanota.com", "tuta.io", "hey.com", "qq.com", "163.com",
			"126.com", "sina.com", "naver.com", "daum.net", "web.de", "freenet.de", "t-online.de", "posteo.de",
			"mailbox.org", "orange.fr", "free.fr", "laposte.net", "libero.it", "virgilio.it", "seznam.cz", "mail.ru",
			"bk.ru", "inbox.ru", "list.ru", "ya.ru", "rambler.ru", "wp.pl", "o2.pl", "onet.pl", "interia.pl",
			"abv.bg", "comcast.net", "att.net", "verizon.net", "sbcglobal.net", "bellsouth.net", "cox.net",
			"earthlink.net", "juno.com", "btinternet.com", "sky.com", "shaw.ca", "rogers.com", "bigpond.com",
			"hushmail.com", "duck.com");

	private DomainNames() {
	}

	/**
	 * The claimable ASCII lower-case form of {@code raw}; 422 {@code domain_not_allowed} for a public suffix, a
	 * single label or a public mail provider, 400 {@code validation_failed} for what is no domain name at all.
	 */
	static String claimable(String raw) {
		String ascii = EmailAddress.asciiDomain(raw).orElseThrow(() -> ApiException.validation("domain",
				ErrorCode.VALIDATION_FAILED, "domain must be an internet domain name such as acme.com (IDNA, UTS #46)."));
		if (ascii.length() > MAX_LENGTH || !InternetDomainName.isValid(ascii)) {
			throw ApiException.validation("domain", ErrorCode.VALIDATION_FAILED,
					"domain must be an internet domain name of at most 253 characters such as acme.com.");
		}
		InternetDomainName name = InternetDomainName.from(ascii);
		if (name.parts().size() < 2 || name.isPublicSuffix()
				|| name.parts().stream().allMatch(p -> p.chars().allMatch(Character::isDigit))) {
			throw new ApiException(ErrorCode.DOMAIN_NOT_ALLOWED, "'" + ascii + "' is a public suffix or a bare name, "
					+ "which no single organization owns; claim your own domain under it, such as acme.com.");
		}
		if (publicMailProvider(name)) {
			throw new ApiException(ErrorCode.DOMAIN_NOT_ALLOWED, "'" + ascii + "' belongs to a public mail provider "
					+ "whose users are not your organization's members; claim your organization's own domain.");
		}
		return ascii;
	}

	/** Whether the domain is, or is under, a public mail provider's registrable domain. */
	static boolean publicMailProvider(InternetDomainName name) {
		if (!name.isUnderPublicSuffix()) {
			return false;
		}
		InternetDomainName registrable = name.topPrivateDomain();
		String top = registrable.toString();
		String label = registrable.parts().get(0);
		return PROVIDER_DOMAINS.contains(top) || PROVIDER_NAMES.contains(label);
	}
}
