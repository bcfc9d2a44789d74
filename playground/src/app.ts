import { createVitrineClient } from "../../clients/typescript/src/index.ts";
export const make = createVitrineClient;
