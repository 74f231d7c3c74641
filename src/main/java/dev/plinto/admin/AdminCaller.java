package dev.plinto.admin;

import dev.plinto.web.ClientInfo;

/**
 * Who calls the Backend API: the id of the API key the request was authenticated with, and where the call comes
 * from. Controllers take it as a parameter ({@link AdminCallerResolver} fills it in); everything they change is
 * audited with the key's id as the actor.
 */
public record AdminCaller(String keyId, ClientInfo client) {
}
