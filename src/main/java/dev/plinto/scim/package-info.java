/**
 * SCIM 2.0 provisioning (RFC 7643, RFC 7644) of an organization's users and groups through one of its enterprise
 * connections, with a bearer token per connection.
 */
package dev.plinto.scim;
