package dev.plinto.pages;

/**
 * The operator's brand as the templates see it ({@code ctx.brand()}); part of the stable template contract of
 * docs/hosted-pages.md. Optional values are null when not configured.
 *
 * @param appName {@code PLINTO_APP_NAME}
 * @param logoUrl {@code PLINTO_LOGO_URL}, or null
 * @param supportEmail {@code PLINTO_SUPPORT_EMAIL}, or null
 * @param termsUrl {@code PLINTO_TERMS_URL}, or null
 * @param privacyUrl {@code PLINTO_PRIVACY_URL}, or null
 */
public record Brand(String appName, String logoUrl, String supportEmail, String termsUrl, String privacyUrl) {
}
