// A real OpenID Provider for the single sign-on tests: the certified npm package
// `oidc-provider`, on loopback, with one fixed client (Re-engage as the e2e server runs it) and
// its development login form, where any login is an account whose e-mail is that login —
// verified, unless the login begins with "unverified". Started by playwright.config.ts.
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT);
const app = Number(process.env.E2E_PORT);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "reengage-e2e",
      client_secret: "reengage-e2e-client-secret",
      redirect_uris: [`http://127.0.0.1:${app}/signin/sso/callback`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  pkce: { required: () => true },
  claims: { openid: ["sub"], email: ["email", "email_verified"] },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: !id.startsWith("unverified") };
      },
    };
  },
  // Keys for the session and interaction cookies (test only).
  cookies: { keys: ["reengage e2e oidc cookie key"] },
});
provider.proxy = false;
provider.listen(port, "127.0.0.1", () => {
  console.log(`OpenID Provider at ${issuer}`);
});
