// Package explain teaches what a decoded JWT is: what every header
// parameter and claim means, which kind of token it is (ID token, access
// token, refresh token, logout token, another JWT), who should receive and
// validate it, and what looks wrong with it.
//
// Everything it says comes from data files embedded in the package: the
// claim catalog (catalog.json: meaning, reference and display rule of every
// claim in the IANA "JSON Web Token Claims" and "JSON Web Signature and
// Encryption Header Parameters" registries plus the vendor claims of
// Microsoft Entra ID, Auth0, Okta, Keycloak, Google, AWS Cognito and GitHub
// Actions) and the purpose guide (purposes.json: one entry per token kind,
// with the validation steps of OIDC Core §3.1.3.7, RFC 9068 §4, OIDC
// Back-Channel Logout §2.6 and RFC 7523 §3).
//
// The package never verifies a signature and never trusts the token: it
// works on already-decoded JSON (see [Input]), tolerates any input without
// panicking, and says "unknown" or gives a low confidence when the evidence
// is weak rather than guessing. Security findings follow RFC 8725 (JSON Web
// Token Best Current Practices).
package explain
