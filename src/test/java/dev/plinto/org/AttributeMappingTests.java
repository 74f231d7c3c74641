package dev.plinto.org;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plinto.web.ApiException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributeMappingTests {

	private final AttributeMapping mapping = new AttributeMapping("mail", null, "memberOf",
			Map.of("acme-admins", "admin", "acme-billing", "billing"));

	@Test
	void roleForWhenGroupsMappedThenTheFirstByGroupNameWhateverTheOrderSent() {
		assertThat(mapping.roleFor(List.of("acme-billing", "staff", "acme-admins"), "member")).isEqualTo("admin");
		assertThat(mapping.roleFor(List.of("acme-billing"), "member")).isEqualTo("billing");
		assertThat(mapping.roleFor(List.of("staff"), "member")).isEqualTo("member");
		assertThat(AttributeMapping.NONE.roleFor(List.of("acme-admins"), "member")).isEqualTo("member");
	}

	@Test
	void storeWhenReadBackThenTheSameMappingWithOnlyTheNamesSet() {
		String stored = mapping.store();

		assertThat(stored).isEqualTo("{\"email\":\"mail\",\"groups\":\"memberOf\",\"roles\":{\"acme-admins\":\"admin\","
				+ "\"acme-billing\":\"billing\"}}");
		assertThat(AttributeMapping.read(stored)).isEqualTo(mapping);
		assertThat(AttributeMapping.read("{}")).isEqualTo(AttributeMapping.NONE);
	}

	@Test
	void checkWhenNameBlankOrMultiLineThenValidationFailed() {
		assertThatThrownBy(() -> new AttributeMapping(" ", null, null, null).check()).isInstanceOf(ApiException.class);
		assertThatThrownBy(() -> new AttributeMapping(null, "a\nb", null, null).check())
			.isInstanceOf(ApiException.class);
		new AttributeMapping("email", "name", "groups", Map.of("g", "member")).check();
	}
}
