/**
 * Accounts: users and their profile, password rules, email verification and password reset by emailed link.
 * Lower than sessions: what must follow an account change there goes through an event ({@link dev.plinto.account.PasswordChanged}).
 */
package dev.plinto.account;
