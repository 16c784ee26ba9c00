// FromSchema: the TypeScript type of the values a JSON Schema literal accepts, so a step's options
// are typed by the schema it already declares. Covers what option schemas use: type, properties,
// required, default, enum, const, items, additionalProperties, oneOf/anyOf; anything else is unknown.

type Mutable<T> = T extends readonly (infer U)[] ? U[] : T;

/** The type of the values a (const-inferred) JSON Schema accepts. */
export type FromSchema<S> = S extends boolean
  ? unknown
  : S extends { const: infer C }
    ? Mutable<C>
    : S extends { enum: readonly (infer E)[] }
      ? E
      : S extends { oneOf: readonly (infer B)[] }
        ? FromSchema<B>
        : S extends { anyOf: readonly (infer B)[] }
          ? FromSchema<B>
          : S extends { type: infer T }
            ? T extends readonly (infer Each)[]
              ? OfType<Each, S>
              : OfType<T, S>
            : S extends { properties: object }
              ? ObjectOf<S>
              : unknown;

type OfType<T, S> = T extends 'string'
  ? string
  : T extends 'number' | 'integer'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'null'
        ? null
        : T extends 'array'
          ? ArrayOf<S>
          : T extends 'object'
            ? ObjectOf<S>
            : unknown;

type ArrayOf<S> = S extends { items: infer I } ? (I extends readonly unknown[] ? { -readonly [K in keyof I]: FromSchema<I[K]> } : FromSchema<I>[]) : unknown[];

type Props<S> = S extends { properties: infer P } ? P : {};
type Required<S> = S extends { required: readonly (infer R)[] } ? R : never;
/** Ajv fills in defaults before a step sees its options, so a property with a default is always there. */
type Present<S> = { [K in keyof Props<S>]: K extends Required<S> ? K : Props<S>[K] extends { default: unknown } ? K : never }[keyof Props<S>];

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type Extra<S> = S extends { additionalProperties: infer A } ? (A extends object ? { [key: string]: FromSchema<A> } : {}) : {};

type ObjectOf<S> = [keyof Props<S>] extends [never]
  ? S extends { additionalProperties: object }
    ? Extra<S>
    : S extends { additionalProperties: false }
      ? {}
      : Record<string, unknown>
  : Simplify<
      { -readonly [K in Present<S> & keyof Props<S>]: FromSchema<Props<S>[K]> } & {
        -readonly [K in Exclude<keyof Props<S>, Present<S>>]?: FromSchema<Props<S>[K]>;
      } & Extra<S>
    >;
