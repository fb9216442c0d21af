package token

import (
	"fmt"
	"slices"
	"strings"

	"tokenlab/internal/vocab"
)

// checkVerifyKind accepts "" (the generic JWT rules), vocab.Auto and the
// kinds Verify has a rule set for.
func checkVerifyKind(k vocab.Kind) error {
	if k == "" || k == vocab.Auto || ruleSets[k] != nil {
		return nil
	}
	return fmt.Errorf("%w: kind %q; use %s", ErrBadRequest, k, kindList(verifyKinds()))
}

// verifyKinds are the kinds a caller may ask Verify for, in vocabulary
// order.
func verifyKinds() []vocab.Kind {
	var out []vocab.Kind
	for _, k := range vocab.Kinds() {
		if k == vocab.Auto || (ruleSets[k] != nil && k != vocab.Unknown) {
			out = append(out, k)
		}
	}
	return out
}

// mintKinds are the kinds Mint issues: those of the standard preset.
func mintKinds() []vocab.Kind {
	var out []vocab.Kind
	for _, k := range vocab.Kinds() {
		if _, err := presetKind(StandardPreset, k); err == nil {
			out = append(out, k)
		}
	}
	return out
}

// checkMintKind accepts the kinds Mint issues.
func checkMintKind(k vocab.Kind) error {
	if slices.Contains(mintKinds(), k) {
		return nil
	}
	return fmt.Errorf("%w: kind %q; mint %s", ErrBadRequest, k, kindList(mintKinds()))
}

// kindList writes kinds as "a, b or c".
func kindList(kinds []vocab.Kind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
