/**
 * The hosted pages: sign-in, sign-up, sign-out and account pages served at the issuer, their layout, branding,
 * languages and static assets, and browser sessions held in cookies (docs/hosted-pages.md).
 */
package dev.plinto.pages;
