package dev.plinto.pages;

import java.util.List;

/** The account page's "Linked accounts" section ({@link LinkedAccounts}): part of the stable template contract. */
public record LinkedAccountsView(List<LinkedAccounts.Linked> linked, List<SignInOptions.Provider> linkable) {
}
