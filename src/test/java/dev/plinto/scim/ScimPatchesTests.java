package dev.plinto.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.GenericScimResource;
import com.unboundid.scim2.common.messages.PatchOpType;
import com.unboundid.scim2.common.messages.PatchOperation;
import com.unboundid.scim2.common.messages.PatchRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PATCH bodies in the shapes identity providers send, brought into RFC 7644 §3.5.2's by {@link ScimPatches}. */
class ScimPatchesTests {

	private static PatchRequest patch(String json) {
		return ScimPatches.request(ScimResponses.parse(json));
	}

	@Test
	void requestWhenEntraRemovesMembersByValueListThenOneFilteredRemovePerMember() {
		List<PatchOperation> ops = patch("""
				{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
				 "Operations": [{"op": "Remove", "path": "members",
				   "value": [{"value": "usr_a"}, {"value": "usr_\\"b"}]}]}""").getOperations();
		assertThat(ops).hasSize(2).allSatisfy(op -> assertThat(op.getOpType()).isEqualTo(PatchOpType.REMOVE));
		assertThat(ops.get(0).getPath().getElement(0).getValueFilter().getComparisonValue().asText())
			.isEqualTo("usr_a");
		assertThat(ops.get(1).getPath().getElement(0).getValueFilter().getComparisonValue().asText())
			.as("a quote in an id stays inside the filter's string").isEqualTo("usr_\"b");
	}

	@Test
	void requestWhenPathlessReplaceNamesAttributePathsThenEachBecomesItsOwnOperation() throws Exception {
		PatchRequest request = patch("""
				{"Operations": [{"op": "Replace", "value": {
				   "displayName": "Ada L",
				   "name.familyName": "Lovelace",
				   "emails[type eq \\"work\\"].value": "ada@example.com",
				   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Engines"}}]}""");
		assertThat(request.getOperations()).hasSize(4);
		ObjectNode user = ScimResponses.parse("""
				{"userName": "ada", "name": {"givenName": "Ada"},
				 "emails": [{"type": "work", "value": "old@example.com"}]}""");
		GenericScimResource resource = new GenericScimResource(user);
		request.apply(resource);
		ObjectNode result = resource.getObjectNode();
		assertThat(result.path("displayName").asText()).isEqualTo("Ada L");
		assertThat(result.path("name").path("familyName").asText()).isEqualTo("Lovelace");
		assertThat(result.path("name").path("givenName").asText()).isEqualTo("Ada");
		assertThat(result.path("emails").get(0).path("value").asText()).isEqualTo("ada@example.com");
		assertThat(result.path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User").path("department")
			.asText()).isEqualTo("Engines");
	}

	@Test
	void requestWhenMalformedThenScimErrors() {
		assertThatThrownBy(() -> patch("{\"Operations\": []}")).isInstanceOf(ScimError.class)
			.satisfies(e -> assertThat(((ScimError) e).scimType()).isEqualTo("invalidSyntax"));
		assertThatThrownBy(() -> patch("{\"Operations\": [{\"op\": \"move\", \"path\": \"userName\"}]}"))
			.isInstanceOf(ScimError.class)
			.satisfies(e -> assertThat(((ScimError) e).status()).isEqualTo(400));
		assertThatThrownBy(() -> patch("{\"Operations\": [{\"op\": \"replace\", \"path\": \"a[[\", \"value\": 1}]}"))
			.isInstanceOf(ScimError.class)
			.satisfies(e -> assertThat(((ScimError) e).status()).isEqualTo(400));
	}
}
