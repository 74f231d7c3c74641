/**
 * What all HTTP shares: problem+json errors and their codes, the request filters (request id, body size, trusted
 * proxies), the caller of a request, cursor pagination, the OpenAPI document and the layout of server-rendered pages.
 */
package dev.plinto.web;
