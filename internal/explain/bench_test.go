package explain

import (
	"encoding/json"
	"testing"
)

// benchTokens are typical tokens of about 1 KB: an Entra ID ID token and an
// Okta-style RFC 9068 access token, as Decode hands them to Explain.
var benchTokens = []struct {
	name            string
	header, payload string
}{
	{"id_token",
		`{"typ":"JWT","alg":"RS256","kid":"nOo3ZDrODXEK1jKWhXslHR_KXEg"}`,
		`{"aud":"6cb04018-a3f5-46a7-b995-940c78f5aef3","iss":"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0","iat":1714557600,"nbf":1714557600,"exp":1714561500,"aio":"AXQAi/8WAAAAf4XQhPMGk6ZQkWmXnRXpiJ6kUjnvKCpBvEg3Tfq6Vy8=","amr":["pwd","mfa"],"auth_time":1714557590,"email":"alice@contoso.com","family_name":"Smith","given_name":"Alice","idp":"https://sts.windows.net/9188040d-6c67-4c5b-b112-36a304b66dad/","ipaddr":"203.0.113.7","name":"Alice Smith","nonce":"b7c1d0a8-5b8e-4c1a-9e2f-3d4a5b6c7d8e","oid":"00000000-0000-0000-66f3-3332eca7ea81","preferred_username":"alice@contoso.com","rh":"0.AXEAv4j5cvGGr0GRqy180BHbR_ZiYGzwHa1Gnz2_PLm7JV1xAAA.","roles":["Orders.Read","Orders.Write"],"sid":"00177d02-5bc7-4ce2-9b3b-0a2d8d7e6f00","sub":"AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ","tid":"72f988bf-86f1-41af-91ab-2d7cd011db47","uti":"bW8V6Y6iF0mN3x4b2Z4cAA","ver":"2.0","xms_pl":"en","c_hash":"LDktKdoQak3Pk0cnXxCltA","at_hash":"77QmUPtjPfzWtF2AnpK9RQ","acr":"1","https://example.com/claims/tenant":{"plan":"pro","region":"eu"}}`},
	{"access_token",
		`{"typ":"at+jwt","alg":"ES256","kid":"AFRyfwyepc6QCX4DKvDYLjGuN1tuCvQsOR1Xg1IsyNI"}`,
		`{"iss":"https://dev-123456.okta.com/oauth2/default","sub":"00uid4BxXw6I6TV4m0g3","aud":"api://default","client_id":"0oa1a2b3c4d5e6f7g8h9","exp":1714561200,"iat":1714557600,"nbf":1714557600,"jti":"AT.2y3Tl1aG4sV7nC8mK9pQ0rS1tU2vW3xY4zA5bC6dE7f","scope":"openid profile email offline_access read:orders write:orders","scp":["openid","profile","email","offline_access"],"auth_time":1714557590,"acr":"urn:okta:loa:1fa:pwd","amr":["pwd"],"cnf":{"jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"},"groups":["Everyone","Admins","Orders"],"uid":"00uid4BxXw6I6TV4m0g3","ver":1,"cid":"0oa1a2b3c4d5e6f7g8h9","https://example.com/roles":["admin","editor"],"tenant":{"id":"t-42","name":"Contoso","features":["a","b","c"]}}`},
}

// BenchmarkExplain measures one Explain of a typical token, with the
// catalog already loaded (BenchmarkLoadCatalog measures that).
func BenchmarkExplain(b *testing.B) {
	loadCatalog()
	loadPurposes()
	for _, tt := range benchTokens {
		b.Run(tt.name, func(b *testing.B) {
			in := Input{Format: "JWS", Header: json.RawMessage(tt.header), Payload: json.RawMessage(tt.payload), Now: displayNow}
			b.SetBytes(int64(len(tt.header) + len(tt.payload)))
			b.ReportAllocs()
			for b.Loop() {
				Explain(in)
			}
		})
	}
}
