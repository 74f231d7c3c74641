package dev.plinto.admin;

import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Resolves an {@link AdminCaller} parameter from the API key Spring Security authenticated for this request
 * ({@link ApiKeyAuthentication}) and the client's address (already the forwarded one behind a trusted proxy, as for
 * {@code web.Caller}), so no controller reads the servlet request or the security context itself.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class AdminCallerResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

	static {
		// Resolved from the request: not a request parameter or body in the OpenAPI document.
		SpringDocUtils.getConfig().addRequestWrapperToIgnore(AdminCaller.class);
	}

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(this);
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == AdminCaller.class;
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
			NativeWebRequest webRequest, WebDataBinderFactory binders) {
		HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
		ClientInfo client = request == null ? ClientInfo.none()
				: new ClientInfo(request.getRemoteAddr(), request.getHeader(HttpHeaders.USER_AGENT));
		String keyId = ApiKeyAuthentication.keyId(SecurityContextHolder.getContext().getAuthentication())
			.orElseThrow(() -> new ApiException(ErrorCode.UNAUTHENTICATED, null));
		return new AdminCaller(keyId, client);
	}
}
