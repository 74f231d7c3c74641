package dev.plinto.oidc;

import dev.plinto.pages.FormState;

/**
 * What the "enter the code" template ({@code device.jte}) receives besides {@code ctx}: a stable contract for custom
 * templates (docs/hosted-pages.md, "Templates").
 *
 * @param form the code field ({@code user_code}) with its value (from the link, or as typed) and its problem
 * @param email the signed-in user's email, whose account the device will use
 * @param action where the form posts (the device verification endpoint)
 */
public record DeviceView(FormState form, String email, String action) {
}
