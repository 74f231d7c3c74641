package dev.plinto.scim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One page of a list (RFC 7644 §3.4.2): the total of matches, the 1-based index of the first, the resources. */
record ScimPage(long totalResults, int startIndex, List<ObjectNode> resources) {
}
