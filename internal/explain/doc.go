// Package explain teaches what a token is: what every header parameter
// and claim means, which kind of token it is (ID token, access token,
// refresh token, logout token, workload identity token, client assertion,
// DPoP proof, request object, security event token, SD-JWT, SD-JWT VC, or
// an opaque access token that is no JWT at all), who should receive and
// validate it, and what looks wrong with it.
//
// Everything it says comes from data files embedded in the package: the
// claim catalog (catalog.json: meaning, reference and display rule of every
// claim in the IANA "JSON Web Token Claims" and "JSON Web Signature and
// Encryption Header Parameters" registries plus the vendor claims of
// Microsoft Entra ID and Azure AD B2C, Auth0, Okta, Keycloak, Google,
// Firebase, Apple, AWS Cognito, GitHub Actions and Kubernetes), the purpose
// guide (purposes.json: one entry per token kind, each citing its sources)
// and the vendor formats of opaque tokens (opaque.json: Google, GitHub and
// Slack token prefixes).
//
// The package never verifies a signature and never trusts the token: it
// works on already-decoded JSON (see [Input]) or, for a string that is not
// a JWT, on its shape (see [ExplainOpaque]); it tolerates any input without
// panicking, and when the evidence is weak it says the kind is unclear and
// which kind the token resembles rather than guessing (see
// [ConfidenceThreshold]). Security findings follow RFC 8725 (JSON Web Token
// Best Current Practices).
package explain
