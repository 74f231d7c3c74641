package dev.plinto.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Resolves a {@link Caller} or a {@link ClientInfo} parameter of a controller method, so that no controller reads
 * the servlet request, the token's claims or the client's address itself, and nothing below a controller sees HTTP.
 * <p>
 * The user is the access token's {@code sub} and the session its {@code sid} (RFC 9068 §2.2; the enrolment token of
 * {@code PLINTO_MFA=required} has no session), taken from the authentication Spring Security has verified for this
 * request. The IP is the TCP peer, or the forwarded client address when that peer is a trusted proxy:
 * {@link TrustedProxies} has already replaced the remote address then. Forwarded headers are never read here (OWASP
 * Logging Cheat Sheet: client-supplied addresses can be spoofed).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class CallerArgumentResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(this);
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		Class<?> type = parameter.getParameterType();
		return type == Caller.class || type == ClientInfo.class;
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
			NativeWebRequest webRequest, WebDataBinderFactory binders) {
		HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
		ClientInfo client = request == null ? ClientInfo.none()
				: new ClientInfo(request.getRemoteAddr(), request.getHeader(HttpHeaders.USER_AGENT));
		if (parameter.getParameterType() == ClientInfo.class) {
			return client;
		}
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof Jwt jwt) {
			return new Caller(jwt.getSubject(), jwt.getClaimAsString("sid"), client);
		}
		return new Caller(null, null, client);
	}
}
