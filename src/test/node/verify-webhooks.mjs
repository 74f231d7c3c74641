// Verifies webhook deliveries with the npm `standardwebhooks` package, an implementation independent of the Java
// library Plinto signs with. Reads {"secret": "whsec_…", "deliveries": [{"headers": {…}, "body": "…"}]} on stdin;
// prints one line per delivery and exits 1 if any signature does not verify, or if a tampered copy does.
import { Webhook } from "standardwebhooks";

const input = JSON.parse(await new Promise((resolve) => {
  let text = "";
  process.stdin.on("data", (chunk) => { text += chunk; });
  process.stdin.on("end", () => resolve(text));
}));
const wh = new Webhook(input.secret);
let failures = 0;
for (const d of input.deliveries) {
  try {
    const event = wh.verify(d.body, d.headers);
    if (event.id !== d.headers["webhook-id"]) {
      throw new Error(`payload id ${event.id} is not the webhook-id ${d.headers["webhook-id"]}`);
    }
    console.log(`verified ${d.headers["webhook-id"]} ${event.type}`);
  } catch (e) {
    failures++;
    console.log(`NOT VERIFIED ${d.headers["webhook-id"]}: ${e.message}`);
  }
  try {
    wh.verify(d.body.replace("}", ' }'), d.headers);
    failures++;
    console.log(`TAMPERED BODY ACCEPTED ${d.headers["webhook-id"]}`);
  } catch {
    // expected: a changed body does not verify
  }
}
process.exit(failures === 0 && input.deliveries.length > 0 ? 0 : 1);
