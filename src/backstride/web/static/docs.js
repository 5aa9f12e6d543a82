// Swagger UI for /docs, from this app's own copy; no validator badge (a third-party request).
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  validatorUrl: null,
  deepLinking: true,
});
