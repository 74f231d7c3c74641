package dev.plinto.web;

/** Who is calling, as far as HTTP tells: the client IP and user agent, recorded on sessions and audit events. */
public record ClientInfo(String ip, String userAgent) {

	public ClientInfo {
		ip = ip == null ? "" : truncate(ip, 64);
		userAgent = userAgent == null ? "" : truncate(userAgent, 512);
	}

	public static ClientInfo none() {
		return new ClientInfo("", "");
	}

	private static String truncate(String s, int max) {
		return s.length() <= max ? s : s.substring(0, max);
	}
}
