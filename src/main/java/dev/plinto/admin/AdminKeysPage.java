package dev.plinto.admin;

import dev.plinto.audit.AuditLog;
import dev.plinto.pages.PageContext;
import dev.plinto.token.SigningKey;
import dev.plinto.token.SigningKeys;
import dev.plinto.web.Caller;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The dashboard's signing keys ({@code /admin/keys}): every key with its algorithm, creation and activation and
 * its {@link SigningKeys.State} (signing, next, retiring, retired); a scheduled rotation (the new key signs after
 * {@code PLINTO_KEY_ACTIVATION_DELAY}), an immediate one, and the withdrawal of a key, which needs a recent sign-in
 * (declared in the security configuration). All through {@link SigningKeys}, as {@code plinto keys} does, which
 * audits each change ({@code key.rotated}, {@code key.withdrawn}), here with the administrator as the actor.
 */
@Controller
@Hidden
final class AdminKeysPage {

	private final SigningKeys keys;

	private final AdminPageFrame frame;

	AdminKeysPage(SigningKeys keys, AdminPageFrame frame) {
		this.keys = keys;
		this.frame = frame;
	}

	@GetMapping(AdminPageRoutes.KEYS)
	ModelAndView list(Caller caller, HttpServletRequest request, HttpServletResponse response) {
		return page(caller, frame.context(request, response), HttpStatus.OK, null);
	}

	@PostMapping(path = AdminPageRoutes.KEYS + "/rotate", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView rotate(@RequestParam(defaultValue = "false") boolean immediate, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		SigningKey key = AuditLog.actingAs(caller.userId(), () -> keys.rotate(immediate));
		return page(caller, ctx, HttpStatus.OK, ctx.t(immediate ? "admin.keys.rotated_now" : "admin.keys.rotated",
				key.kid(), AdminPageFrame.minute(key.activatesAt())));
	}

	@PostMapping(path = AdminPageRoutes.KEYS + "/withdraw", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView withdraw(@RequestParam(defaultValue = "") String kid, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = frame.context(request, response);
		try {
			SigningKeys.Withdrawal w = AuditLog.actingAs(caller.userId(), () -> keys.withdraw(kid));
			return page(caller, ctx, HttpStatus.OK, w.replacement() == null ? ctx.t("admin.keys.withdrawn", kid)
					: ctx.t("admin.keys.withdrawn_replaced", kid, w.replacement().kid()));
		}
		catch (IllegalArgumentException e) {
			return page(caller, ctx, HttpStatus.NOT_FOUND, ctx.t("admin.keys.unknown"));
		}
	}

	private ModelAndView page(Caller caller, PageContext ctx, HttpStatusCode status, String notice) {
		List<SigningKey> newestFirst = new java.util.ArrayList<>(keys.all());
		java.util.Collections.reverse(newestFirst);
		List<AdminPageViews.KeyRow> rows = newestFirst
			.stream()
			.map(k -> new AdminPageViews.KeyRow(k.kid(), k.algorithm().getName(), AdminPageFrame.minute(k.createdAt()),
					AdminPageFrame.minute(k.activatesAt()), keys.state(k).wireName()))
			.toList();
		return frame.view(caller, ctx, AdminPageRoutes.KEYS, "keys", status, "keys", rows, "notice", notice);
	}
}
