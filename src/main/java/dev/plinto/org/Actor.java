package dev.plinto.org;

import dev.plinto.web.ClientInfo;

/** Who makes an organization request: the signed-in user, their session and where they call from (for audit). */
record Actor(String userId, String sessionId, ClientInfo client) {
}
