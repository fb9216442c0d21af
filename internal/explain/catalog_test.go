package explain

import (
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"tokenlab/internal/vocab"
)

var validKinds = append(slices.Clone(allKinds), "any")

func TestCatalogEntries(t *testing.T) {
	c := loadCatalog()
	seen := map[[2]string]bool{}
	for _, e := range c.Claims {
		t.Run(e.Where+"/"+e.Name, func(t *testing.T) {
			key := [2]string{e.Where, e.Name}
			if seen[key] {
				t.Error("duplicate entry")
			}
			seen[key] = true
			if e.Where != "header" && e.Where != "payload" {
				t.Errorf("where = %q", e.Where)
			}
			if e.Meaning == "" || e.Ref == "" {
				t.Error("missing meaning or ref")
			}
			if !strings.HasSuffix(e.Meaning, ".") {
				t.Errorf("meaning %q should be a sentence ending with a period", e.Meaning)
			}
			if u, err := url.Parse(e.URL); err != nil || u.Scheme != "https" || u.Host == "" {
				t.Errorf("url %q is not an https URL", e.URL)
			}
			if len(e.Kinds) == 0 {
				t.Error("no kinds")
			}
			for _, k := range e.Kinds {
				if !slices.Contains(validKinds, vocab.Kind(k)) {
					t.Errorf("unknown kind %q", k)
				}
			}
			if !slices.Contains([]string{"", "date", "duration", "scopes", "list", "values", "object"}, e.Display) {
				t.Errorf("unknown display rule %q", e.Display)
			}
			if len(e.Values) > 0 && e.Display != "values" && e.Display != "list" {
				t.Errorf("values need display values or list, have %q", e.Display)
			}
			if len(e.Members) > 0 && e.Display != "object" {
				t.Errorf("members need display object, have %q", e.Display)
			}
		})
	}
	for scope, meaning := range c.Scopes {
		if meaning == "" {
			t.Errorf("scope %s has no meaning", scope)
		}
	}
}

// ianaJWTClaims is the IANA "JSON Web Token Claims" registry.
var ianaJWTClaims = strings.Fields(`iss sub aud exp nbf iat jti name given_name family_name middle_name nickname
preferred_username profile picture website email email_verified gender birthdate zoneinfo locale phone_number
phone_number_verified address updated_at azp nonce auth_time at_hash c_hash acr amr sub_jwk cnf sip_from_tag
sip_date sip_callid sip_cseq_num sip_via_branch orig dest mky events toe txn rph sid vot vtm attest origid act
scope client_id may_act jcard at_use_nbr div opt vc vp sph ace_profile cnonce exi roles groups entitlements
token_introspection eat_nonce ueid sueids oemid hwmodel hwversion oemboot dbgstat location eat_profile submods
uptime bootcount bootseed dloas swname swversion manifests measurements measres intuse cdniv cdnicrit cdniip
cdniuc cdniets cdnistt cdnistd sig_val_claims authorization_details verified_claims place_of_birth nationalities
birth_family_name birth_given_name birth_middle_name salutation title msisdn also_known_as htm htu ath atc sub_id
rcd rcdi crn msgi _claim_names _claim_sources rdap_allowed_purposes rdap_dnt_allowed geohash _sd ... _sd_alg
sd_hash consumerPlmnId consumerSnpnId producerPlmnId producerSnpnId producerSnssaiList producerNsiList
producerNfSetId producerNfServiceSetId sourceNfInstanceId analyticsIdList resOwnerId cmw jwks metadata
constraints crit ref delegation logo_uri authority_hints trust_anchor_hints trust_marks trust_mark_issuers
trust_mark_owners metadata_policy metadata_policy_crit source_endpoint keys trust_mark_type trust_chain
trust_anchor status status_list ttl`)

// ianaJOSEHeaders is the IANA "JSON Web Signature and Encryption Header
// Parameters" registry.
var ianaJOSEHeaders = strings.Fields(`alg jku jwk kid x5u x5c x5t x5t#S256 typ cty crit enc zip epk apu apv iv tag
p2s p2c iss sub aud b64 ppt url nonce svt trust_chain`)

// vendorClaims are the claims developers meet most in vendor tokens.
var vendorClaims = strings.Fields(`tid oid scp roles ver appid appidacr azp azpacr idp idtyp uti rh wids aio upn
unique_name xms_cc xms_pdl permissions org_id gty cid uid realm_access resource_access typ session_state
allowed-origins preferred_username hd email_verified token_use cognito:username cognito:groups origin_jti
event_id client_id username repository repository_owner job_workflow_ref runner_environment s_hash`)

// reviewedClaims are the claims and header parameters an expert review of
// real tokens found missing: Entra ID, Azure AD B2C, Keycloak, Google
// Compute Engine, Firebase, Apple, Kubernetes, SD-JWT VC and JAdES.
var reviewedClaims = strings.Fields(`app_displayname puid platf tenant_region_scope deviceid signin_state home_oid
pwd_exp pwd_url in_corp fwd verified_primary_email verified_secondary_email tfp emails clientHost clientAddress
authorization google firebase user_id is_private_email real_user_status nonce_supported transfer_sub kubernetes.io
vct vct#integrity`)

// jadesHeaders are the JAdES header parameters (ETSI TS 119 182-1).
var jadesHeaders = strings.Fields(`sigT x5t#o sigX5ts srCms sigPl srAts adoTst sigPId sigD`)

func TestCatalogCoversRegistries(t *testing.T) {
	c := loadCatalog()
	for _, tt := range []struct {
		where string
		names []string
	}{{"payload", ianaJWTClaims}, {"header", ianaJOSEHeaders}, {"payload", vendorClaims}, {"payload", reviewedClaims}, {"header", jadesHeaders}} {
		for _, name := range tt.names {
			if c.lookup(tt.where, name) == nil {
				t.Errorf("%s claim %q is missing from the catalog", tt.where, name)
			}
		}
	}
}

func TestCatalogLookup(t *testing.T) {
	c := loadCatalog()
	tests := []struct {
		where, name, want string
	}{
		{"payload", "exp", "exp"},
		{"header", "typ", "typ"},
		{"payload", "typ", "typ"},
		{"payload", "xms_ssm", "xms_*"},
		{"payload", "xms_cc", "xms_cc"},
		{"payload", "custom:department", "custom:*"},
		{"payload", "cognito:roles", "cognito:roles"},
		{"payload", "no_such_claim", ""},
		{"header", "scope", ""},
	}
	for _, tt := range tests {
		t.Run(tt.where+"/"+tt.name, func(t *testing.T) {
			got := ""
			if e := c.lookup(tt.where, tt.name); e != nil {
				got = e.Name
			}
			if got != tt.want {
				t.Errorf("lookup = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestIsNamespaced(t *testing.T) {
	for name, want := range map[string]bool{
		"https://example.com/roles": true, "http://example.com/is_root": true, "urn:example:claim": true,
		"https://": false, "roles": false, "cognito:groups": false,
	} {
		if got := isNamespaced(name); got != want {
			t.Errorf("isNamespaced(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestParseCatalogMatchesEncodingJSON: the reflection-free catalog decoder
// reads catalog.json exactly as encoding/json would, and rejects what
// encoding/json would silently accept or drop.
func TestParseCatalogMatchesEncodingJSON(t *testing.T) {
	var want catalog
	if err := json.Unmarshal(catalogJSON, &want); err != nil {
		t.Fatal(err)
	}
	got, err := parseCatalog(catalogJSON)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Scopes, want.Scopes) || !reflect.DeepEqual(got.Claims, want.Claims) {
		t.Error("parseCatalog differs from encoding/json")
	}
	bad := []struct{ name, in string }{
		{"not an object", `[]`},
		{"unknown member", `{"claim":[]}`},
		{"claims not an array", `{"claims":{}}`},
		{"entry not an object", `{"claims":[1]}`},
		{"misspelt field", `{"claims":[{"name":"exp","meanign":"x"}]}`},
		{"field not a string", `{"claims":[{"name":"exp","ref":7}]}`},
		{"kinds not strings", `{"claims":[{"name":"exp","kinds":[1]}]}`},
		{"value meaning not a string", `{"claims":[{"name":"acr","values":{"0":null}}]}`},
		{"scopes not an object", `{"scopes":"openid"}`},
		{"truncated", `{"claims":[{"name":"exp"`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseCatalog([]byte(tt.in)); err == nil {
				t.Errorf("parseCatalog(%s) succeeded", tt.in)
			}
		})
	}
}

// BenchmarkLoadCatalog measures the one-time cost of decoding catalog.json,
// paid by the first explanation after the engine starts.
func BenchmarkLoadCatalog(b *testing.B) {
	b.SetBytes(int64(len(catalogJSON)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseCatalog(catalogJSON); err != nil {
			b.Fatal(err)
		}
	}
}
