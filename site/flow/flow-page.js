// @ts-check
/**
 * The playground's entry for the sign-in flow section: defines <tl-flow>
 * and the elements it uses. The markup is in index.html.
 */
import { defineFlow } from "./tl-flow.js";

defineFlow();
