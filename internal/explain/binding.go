package explain

import "tokenlab/internal/vocab"

// lintBinding explains a token bound to a DPoP key: cnf.jkt (RFC 9449
// §6.1) makes it useless without a proof signed by that key.
func lintBinding(t *tokenFacts) []Finding {
	cnf, _ := t.payload["cnf"].(map[string]any)
	jkt, ok := cnf["jkt"].(string)
	if !ok || t.kind == vocab.DPoPProof {
		return nil
	}
	return one("dpop-bound", SeverityInfo, "This token is bound to a DPoP key: cnf.jkt ("+short(jkt)+") is the RFC 7638 thumbprint of the client's public key. An API must accept it only as Authorization: DPoP <token> together with a DPoP proof signed by that key for the same request, whose ath is this token's hash; a stolen copy alone is useless.", "RFC 9449 §6.1, §7.1")
}
