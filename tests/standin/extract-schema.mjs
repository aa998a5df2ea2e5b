#!/usr/bin/env node
// Extracts a compact input/output schema from a generated Pulumi Node.js SDK
// (@pulumi/aws, @pulumi/gcp, ...) for the test stand-in providers.
//
//   node extract-schema.mjs --sdk <dir of node_modules/@pulumi/aws> --out <schema.json>
//
// Sources, all inside the published SDK package:
//   <module>/<resource>.js   `static __pulumiType = '<token>'`, secret inputs
//                            (`pulumi.secret(args.x)`), `additionalSecretOutputs`,
//                            `replaceOnChanges`
//   <module>/<resource>.d.ts the resource class (`readonly x: pulumi.Output<T>` =
//                            output properties) and its `XxxArgs` interface (input
//                            properties; `?` = optional)
//   types/input.d.ts         nested input object types (`inputs.<module>.<Type>`)
//   types/enums/**           enum values (`enums.<module>.<Enum>`)
//   provider.d.ts            `ProviderArgs` = the provider configuration
//
// The output is deterministic (sorted keys). Type descriptors:
//   "string" | "number" | "boolean" | "any" | "asset" | "archive" | "resource"
//   {"array": T} | {"map": T} | {"ref": "<module>.<Type>"} (see .types)
//   {"enum": "<module>.<Enum>"} (see .enums) | {"oneOf": [T, ...]} | {"const": v}
//   {"object": {<name>: Property}} (inline object literal type)
// Property: {"type": T, "required"?: true, "secret"?: true, "deprecated"?: "msg"}
// Output property: {"type": T, "optional"?: true, "secret"?: true}; in outputs an
// `outputs.*` object type is reduced to "object".

import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { createRequire } from "node:module";

const EXTRACTOR_FORMAT = 1;

function usage(msg) {
    if (msg) console.error(`extract-schema: ${msg}`);
    console.error("usage: node extract-schema.mjs --sdk <path to @pulumi/<pkg>> --out <file.json>");
    process.exit(2);
}

const args = process.argv.slice(2);
let sdkDir, outFile;
for (let i = 0; i < args.length; i++) {
    if (args[i] === "--sdk") sdkDir = args[++i];
    else if (args[i] === "--out") outFile = args[++i];
    else usage(`unknown argument ${args[i]}`);
}
if (!sdkDir || !outFile) usage();
sdkDir = path.resolve(sdkDir);

// typescript is resolved next to the SDK (same node_modules tree).
const require = createRequire(path.join(sdkDir, "package.json"));
const ts = require("typescript");

const started = Date.now();
const pkgJson = JSON.parse(fs.readFileSync(path.join(sdkDir, "package.json"), "utf8"));
const pkgName = (pkgJson.pulumi && pkgJson.pulumi.name) || pkgJson.name.replace(/^@pulumi\//, "");
const pkgVersion = (pkgJson.pulumi && pkgJson.pulumi.version) || pkgJson.version;

// ---------------------------------------------------------------- helpers

const sourceCache = new Map();
function parse(file) {
    let sf = sourceCache.get(file);
    if (!sf) {
        const text = fs.readFileSync(file, "utf8");
        sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, /*setParentNodes*/ true);
        sourceCache.set(file, sf);
    }
    return sf;
}

function walkFiles(dir, pred, acc = []) {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
        if (ent.name === "node_modules") continue;
        const p = path.join(dir, ent.name);
        if (ent.isDirectory()) walkFiles(p, pred, acc);
        else if (pred(p)) acc.push(p);
    }
    return acc;
}

function entityName(n) {
    if (ts.isIdentifier(n)) return n.text;
    if (ts.isQualifiedName(n)) return entityName(n.left) + "." + n.right.text;
    if (ts.isPropertyAccessExpression(n)) return entityName(n.expression) + "." + n.name.text;
    return n.getText();
}

function propName(n) {
    if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)) return n.text;
    return n.getText();
}

function deprecation(node) {
    const tag = ts.getJSDocDeprecatedTag(node);
    if (!tag) return undefined;
    const text = ts.getTextOfJSDocComment(tag.comment);
    return (text && text.trim()) || "deprecated";
}

function isExported(node) {
    return (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export) !== 0;
}

const unresolved = new Map(); // "name" -> count
function noteUnresolved(name, where) {
    const k = `${name} (${where})`;
    unresolved.set(k, (unresolved.get(k) || 0) + 1);
}

// ---------------------------------------------------------------- types/input.d.ts

const inputDecls = new Map(); // "s3.BucketCorsRule" -> InterfaceDeclaration
{
    const f = path.join(sdkDir, "types", "input.d.ts");
    if (fs.existsSync(f)) {
        const collect = (stmts, prefix) => {
            for (const st of stmts) {
                if (ts.isInterfaceDeclaration(st)) inputDecls.set(prefix + st.name.text, st);
                else if (ts.isModuleDeclaration(st) && st.body) {
                    let body = st.body, name = st.name.text;
                    while (body && ts.isModuleDeclaration(body)) { name += "." + body.name.text; body = body.body; }
                    if (body && ts.isModuleBlock(body)) collect(body.statements, prefix + name + ".");
                }
            }
        };
        collect(parse(f).statements, "");
    }
}

// ---------------------------------------------------------------- enums

const enumCache = new Map(); // "s3.CannedAcl" -> {values} | null
function enumValues(name) {
    if (enumCache.has(name)) return enumCache.get(name);
    const parts = name.split(".");
    const ident = parts.pop();
    const file = path.join(sdkDir, "types", "enums", ...parts, "index.d.ts");
    let result = null;
    if (fs.existsSync(file)) result = enumFromFile(parse(file), ident);
    enumCache.set(name, result);
    return result;
}

// An enum is `export declare const X: { readonly A: "a"; ... }` (+ a type alias).
function enumFromFile(sf, ident) {
    for (const st of sf.statements) {
        if (!ts.isVariableStatement(st)) continue;
        for (const d of st.declarationList.declarations) {
            if (!ts.isIdentifier(d.name) || d.name.text !== ident || !d.type || !ts.isTypeLiteralNode(d.type)) continue;
            const values = [];
            for (const m of d.type.members) {
                if (!ts.isPropertySignature(m) || !m.type || !ts.isLiteralTypeNode(m.type)) continue;
                const lit = m.type.literal;
                if (ts.isStringLiteral(lit)) values.push(lit.text);
                else if (ts.isNumericLiteral(lit)) values.push(Number(lit.text));
                else if (ts.isPrefixUnaryExpression(lit) && ts.isNumericLiteral(lit.operand)) values.push(-Number(lit.operand.text));
                else if (lit.kind === ts.SyntaxKind.TrueKeyword) values.push(true);
                else if (lit.kind === ts.SyntaxKind.FalseKeyword) values.push(false);
            }
            if (values.length) return { values };
        }
    }
    return null;
}

// ---------------------------------------------------------------- other named types
// Type references that are not pulumi.*, inputs.*, outputs.* or enums.*: resource
// classes (`string | Role`), enums re-exported from a module (`lambda.Runtime`),
// interfaces/type aliases declared beside the resources (`iam.PolicyDocument`).

function moduleDirOf(fromFile, spec) {
    if (!spec.startsWith(".")) return null;
    let p = path.resolve(path.dirname(fromFile), spec);
    if (p.endsWith(path.sep + "index")) p = path.dirname(p);
    if (fs.existsSync(p) && fs.statSync(p).isDirectory()) return { dir: p };
    if (fs.existsSync(p + ".d.ts")) return { file: p + ".d.ts" };
    return null;
}

const declCache = new Map();
// Finds a declaration named `ident` in a module (a directory: any of its .d.ts files).
function findDecl(mod, ident) {
    const key = (mod.dir || mod.file) + "#" + ident;
    if (declCache.has(key)) return declCache.get(key);
    let files = mod.file ? [mod.file] : fs.readdirSync(mod.dir).filter(f => f.endsWith(".d.ts")).map(f => path.join(mod.dir, f));
    const re = new RegExp(`(class|interface|type|const|enum)\\s+${ident}\\b`);
    let found = null;
    for (const f of files) {
        if (found) break;
        const text = fs.readFileSync(f, "utf8");
        if (!re.test(text)) continue;
        found = findLocalDecl(parse(f), ident);
    }
    declCache.set(key, found);
    return found;
}

// A declaration of `ident` at the top level of one source file (skipping the lazy
// re-export shims `export type X = import("./x").X`, which are followed).
function findLocalDecl(sf, ident) {
    let enumConst = null, alias = null;
    for (const st of sf.statements) {
        if (ts.isClassDeclaration(st) && st.name && st.name.text === ident) return { kind: "class", node: st, sf };
        if (ts.isInterfaceDeclaration(st) && st.name.text === ident) return { kind: "interface", node: st, sf };
        if (ts.isEnumDeclaration(st) && st.name.text === ident) return { kind: "tsenum", node: st, sf };
        if (ts.isTypeAliasDeclaration(st) && st.name.text === ident) alias = st;
        if (ts.isVariableStatement(st)) {
            for (const d of st.declarationList.declarations)
                if (ts.isIdentifier(d.name) && d.name.text === ident && d.type && ts.isTypeLiteralNode(d.type)) enumConst = d;
        }
    }
    if (enumConst) {
        const e = enumFromFile(sf, ident);
        if (e) return { kind: "enumconst", values: e.values, sf };
    }
    if (alias) {
        const t = alias.type;
        if (ts.isImportTypeNode(t) && t.qualifier && ts.isLiteralTypeNode(t.argument) && ts.isStringLiteral(t.argument.literal)) {
            const mod = moduleDirOf(sf.fileName, t.argument.literal.text);
            return mod ? findDecl(mod, entityName(t.qualifier)) : null;
        }
        return { kind: "alias", node: alias, sf };
    }
    return null;
}

function resolveOther(name, sf) {
    const parts = name.split(".");
    // Local declaration in the same file?
    if (parts.length === 1) {
        const local = findLocalDecl(sf, name);
        if (local) return local;
    }
    for (const st of sf.statements) {
        if (!ts.isImportDeclaration(st) || !st.importClause || !ts.isStringLiteral(st.moduleSpecifier)) continue;
        const spec = st.moduleSpecifier.text;
        const nb = st.importClause.namedBindings;
        if (!nb) continue;
        if (ts.isNamespaceImport(nb) && parts.length >= 2 && nb.name.text === parts[0]) {
            const mod = moduleDirOf(sf.fileName, spec);
            if (!mod) return null;
            if (parts.length === 2) return findDecl(mod, parts[1]);
            // ns.sub.X: descend into sub directories
            const sub = moduleDirOf(path.join(mod.dir || path.dirname(mod.file), "x"), "./" + parts.slice(1, -1).join("/"));
            return sub ? findDecl(sub, parts[parts.length - 1]) : null;
        }
        if (ts.isNamedImports(nb) && parts.length === 1) {
            for (const el of nb.elements) {
                if (el.name.text !== name) continue;
                const mod = moduleDirOf(sf.fileName, spec);
                return mod ? findDecl(mod, (el.propertyName || el.name).text) : null;
            }
        }
    }
    return null;
}

// ---------------------------------------------------------------- type conversion

const typeQueue = [];            // input object types still to convert
const typesOut = {};             // "s3.BucketCorsRule" -> {properties}
const enumsOut = {};             // "s3.CannedAcl" -> {values}
const seenTypes = new Set();

function requireInputType(name) {
    if (seenTypes.has(name)) return true;
    if (!inputDecls.has(name)) return false;
    seenTypes.add(name);
    typeQueue.push(name);
    return true;
}

function isNullish(t) {
    return t.kind === ts.SyntaxKind.UndefinedKeyword || t.kind === ts.SyntaxKind.VoidKeyword ||
        (ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword);
}

function hasUndefined(t) {
    if (ts.isTypeReferenceNode(t) && /^pulumi\.(Input|Output)$/.test(entityName(t.typeName)) && t.typeArguments)
        return hasUndefined(t.typeArguments[0]);
    if (ts.isParenthesizedTypeNode(t)) return hasUndefined(t.type);
    if (ts.isUnionTypeNode(t)) return t.types.some(isNullish);
    return isNullish(t);
}

function key(d) { return typeof d === "string" ? d : JSON.stringify(d); }

function simplifyUnion(members) {
    const uniq = [];
    const seen = new Set();
    for (const m of members) {
        if (m === "any") return "any";
        const subs = (typeof m === "object" && m.oneOf) ? m.oneOf : [m];
        for (const s of subs) { const k = key(s); if (!seen.has(k)) { seen.add(k); uniq.push(s); } }
    }
    // `string | enums.X` (and string literals) accept any string: the enum is documentation.
    const hasPrim = p => uniq.includes(p);
    const absorbed = uniq.filter(m => {
        if (typeof m !== "object") return true;
        if (m.enum) {
            const e = enumsOut[m.enum];
            const kind = e && e.values.length ? typeof e.values[0] : "string";
            return !hasPrim(kind);
        }
        if ("const" in m) return !hasPrim(typeof m.const);
        return true;
    });
    if (absorbed.length === 1) return absorbed[0];
    if (absorbed.length === 0) return "any";
    return { oneOf: absorbed };
}

// conv converts a TypeNode into a descriptor. ctx: {sf, output: bool, where}
function conv(t, ctx) {
    switch (t.kind) {
        case ts.SyntaxKind.StringKeyword: return "string";
        case ts.SyntaxKind.NumberKeyword: return "number";
        case ts.SyntaxKind.BooleanKeyword: return "boolean";
        case ts.SyntaxKind.AnyKeyword:
        case ts.SyntaxKind.UnknownKeyword:
        case ts.SyntaxKind.ObjectKeyword: return "any";
    }
    if (ts.isParenthesizedTypeNode(t)) return conv(t.type, ctx);
    if (ts.isTypeOperatorNode(t)) return conv(t.type, ctx);
    if (ts.isArrayTypeNode(t)) return { array: conv(t.elementType, ctx) };
    if (ts.isUnionTypeNode(t)) {
        const members = t.types.filter(m => !isNullish(m)).map(m => conv(m, ctx));
        return simplifyUnion(members);
    }
    if (ts.isLiteralTypeNode(t)) {
        const l = t.literal;
        if (ts.isStringLiteral(l)) return { const: l.text };
        if (ts.isNumericLiteral(l)) return { const: Number(l.text) };
        if (l.kind === ts.SyntaxKind.TrueKeyword || l.kind === ts.SyntaxKind.FalseKeyword) return "boolean";
        return "any";
    }
    if (ts.isTypeLiteralNode(t)) {
        const idx = t.members.find(ts.isIndexSignatureDeclaration);
        if (idx) return { map: conv(idx.type, ctx) };
        const props = {};
        for (const m of t.members) if (ts.isPropertySignature(m) && m.type) props[propName(m.name)] = propertyOf(m, ctx);
        return { object: sortObj(props) };
    }
    if (ts.isTypeReferenceNode(t)) {
        const name = entityName(t.typeName);
        const targs = t.typeArguments || [];
        switch (name) {
            case "pulumi.Input": case "pulumi.Output": case "Promise": case "pulumi.Unwrap":
                return targs.length ? conv(targs[0], ctx) : "any";
            case "pulumi.ID": case "pulumi.URN": return "string";
            case "pulumi.asset.Asset": return "asset";
            case "pulumi.asset.Archive": return "archive";
            case "pulumi.asset.AssetOrArchive": return { oneOf: ["asset", "archive"] };
            case "pulumi.Resource": case "pulumi.CustomResource": case "pulumi.ProviderResource":
            case "pulumi.ComponentResource": return "resource";
            case "Array": case "ReadonlyArray": return { array: targs.length ? conv(targs[0], ctx) : "any" };
            case "Record": return { map: targs.length > 1 ? conv(targs[1], ctx) : "any" };
        }
        if (name.startsWith("inputs.")) {
            const tn = name.slice("inputs.".length);
            if (ctx.output) return "object";
            if (requireInputType(tn)) return { ref: tn };
            noteUnresolved(name, ctx.where);
            return "any";
        }
        if (name.startsWith("outputs.")) return "object";
        if (name.startsWith("enums.")) {
            const en = name.slice("enums.".length);
            const e = enumValues(en);
            if (!e) { noteUnresolved(name, ctx.where); return "string"; }
            enumsOut[en] = e;
            return { enum: en };
        }
        if (name.startsWith("pulumi.")) { noteUnresolved(name, ctx.where); return "any"; }
        return convOther(name, ctx);
    }
    if (ts.isImportTypeNode(t) || ts.isFunctionTypeNode(t) || ts.isTypeQueryNode(t)) {
        noteUnresolved(t.getText(), ctx.where);
        return "any";
    }
    noteUnresolved(`${ts.SyntaxKind[t.kind]}: ${t.getText().slice(0, 60)}`, ctx.where);
    return "any";
}

const otherTypes = new Map(); // declaration node -> type name (for interfaces declared beside resources)
function convOther(name, ctx) {
    const d = resolveOther(name, ctx.sf);
    if (!d) { noteUnresolved(name, ctx.where); return "any"; }
    switch (d.kind) {
        case "class": {
            const h = d.node.heritageClauses && d.node.heritageClauses[0];
            const base = h && h.types[0] ? entityName(h.types[0].expression) : "";
            if (/Resource$/.test(base)) return "resource";
            noteUnresolved(name + " (class)", ctx.where);
            return "any";
        }
        case "enumconst": {
            const en = path.relative(sdkDir, path.dirname(d.sf.fileName)).split(path.sep).filter(Boolean).concat(name.split(".").pop()).join(".");
            enumsOut[en] = { values: d.values };
            return { enum: en };
        }
        case "tsenum": {
            const values = d.node.members.map(m => m.initializer && ts.isStringLiteral(m.initializer) ? m.initializer.text : m.name.getText());
            const en = name;
            enumsOut[en] = { values };
            return { enum: en };
        }
        case "alias":
            return conv(d.node.type, { ...ctx, sf: d.sf });
        case "interface": {
            if (ctx.output) return "object";
            let tn = otherTypes.get(d.node);
            if (!tn) {
                const mod = path.relative(sdkDir, path.dirname(d.sf.fileName)).split(path.sep).filter(Boolean).join(".");
                tn = (mod ? mod + "." : "") + d.node.name.text;
                // avoid clashing with an inputs.* type of the same name
                if (inputDecls.has(tn) || otherTypes.has(tn)) tn = tn + "$" + path.basename(d.sf.fileName, ".d.ts");
                otherTypes.set(d.node, tn);
                typesOut[tn] = null; // placeholder against recursion
                typesOut[tn] = { properties: interfaceProps(d.node, { sf: d.sf, output: false, where: tn }) };
            }
            return { ref: tn };
        }
    }
    noteUnresolved(name, ctx.where);
    return "any";
}

function propertyOf(m, ctx) {
    const p = { type: conv(m.type, ctx) };
    if (!m.questionToken) p.required = true;
    const dep = deprecation(m);
    if (dep) p.deprecated = dep;
    return p;
}

function interfaceProps(decl, ctx) {
    const props = {};
    for (const m of decl.members) {
        if (!ts.isPropertySignature(m) || !m.type) continue;
        props[propName(m.name)] = propertyOf(m, { ...ctx, where: ctx.where + "." + propName(m.name) });
    }
    // `interface A extends B` (rare in generated SDKs)
    for (const h of decl.heritageClauses || []) {
        for (const ht of h.types) noteUnresolved("extends " + ht.getText(), ctx.where);
    }
    return sortObj(props);
}

function sortObj(o) {
    const r = {};
    for (const k of Object.keys(o).sort()) r[k] = o[k];
    return r;
}

// ---------------------------------------------------------------- resources

const jsFiles = walkFiles(sdkDir, p => p.endsWith(".js") && !p.includes(path.sep + "types" + path.sep));
const resources = {};
let config = null;
let resourceFiles = 0;

for (const js of jsFiles) {
    const text = fs.readFileSync(js, "utf8");
    const re = /static __pulumiType = '([^']+)';/g;
    let m;
    const tokens = [];
    while ((m = re.exec(text))) tokens.push(m[1]);
    if (!tokens.length) continue;
    const dts = js.replace(/\.js$/, ".d.ts");
    if (!fs.existsSync(dts)) continue;
    resourceFiles++;
    const sf = parse(dts);
    const secretInputs = new Set([...text.matchAll(/resourceInputs\["(\w+)"\] = args\?\.\w+ \? pulumi\.secret\(/g)].map(x => x[1]));
    const secretOutputs = new Set();
    for (const so of text.matchAll(/additionalSecretOutputs: \[([^\]]*)\]/g))
        for (const s of so[1].matchAll(/"([^"]+)"/g)) secretOutputs.add(s[1]);
    const replaceOnChanges = [];
    for (const ro of text.matchAll(/replaceOnChanges: \[([^\]]*)\]/g))
        for (const s of ro[1].matchAll(/"([^"]+)"/g)) replaceOnChanges.push(s[1]);

    for (const cls of sf.statements.filter(ts.isClassDeclaration)) {
        if (!cls.name) continue;
        const h = cls.heritageClauses && cls.heritageClauses[0];
        const base = h && h.types[0] ? entityName(h.types[0].expression) : "";
        if (base !== "pulumi.CustomResource" && base !== "pulumi.ProviderResource") continue;
        const tokMatch = text.match(new RegExp(`class ${cls.name.text} extends[\\s\\S]*?static __pulumiType = '([^']+)';`));
        if (!tokMatch) continue;
        let token = tokMatch[1];
        const isProvider = base === "pulumi.ProviderResource";
        if (isProvider) token = "pulumi:providers:" + token;

        // inputs: the type of the constructor's `args` parameter
        let argsDecl = null;
        const ctor = cls.members.find(ts.isConstructorDeclaration);
        const argsParam = ctor && ctor.parameters.find(p => ts.isIdentifier(p.name) && p.name.text === "args");
        if (argsParam && argsParam.type && ts.isTypeReferenceNode(argsParam.type)) {
            const an = entityName(argsParam.type.typeName);
            argsDecl = sf.statements.find(s => ts.isInterfaceDeclaration(s) && s.name.text === an) || null;
            if (!argsDecl) noteUnresolved(an, token);
        }
        const inputs = argsDecl ? interfaceProps(argsDecl, { sf, output: false, where: token }) : {};
        for (const k of Object.keys(inputs)) if (secretInputs.has(k)) inputs[k].secret = true;

        // outputs: `readonly x: pulumi.Output<T>` members
        const outputs = {};
        for (const mem of cls.members) {
            if (!ts.isPropertyDeclaration(mem) || !mem.type) continue;
            if (mem.modifiers && mem.modifiers.some(mo => mo.kind === ts.SyntaxKind.StaticKeyword)) continue;
            const n = propName(mem.name);
            if (n.startsWith("__")) continue;
            const o = { type: conv(mem.type, { sf, output: true, where: token + " output " + n }) };
            if (hasUndefined(mem.type)) o.optional = true;
            if (secretOutputs.has(n) || secretInputs.has(n)) o.secret = true;
            outputs[n] = o;
        }

        const res = { inputs, outputs: sortObj(outputs) };
        const dep = deprecation(cls);
        if (dep) res.deprecated = dep;
        if (replaceOnChanges.length) res.replaceOnChanges = [...new Set(replaceOnChanges)].sort();
        if (isProvider) config = res;
        else resources[token] = res;
    }
}

// drain the nested input types (they may reference more types)
while (typeQueue.length) {
    const tn = typeQueue.shift();
    const decl = inputDecls.get(tn);
    typesOut[tn] = { properties: interfaceProps(decl, { sf: decl.getSourceFile(), output: false, where: tn }) };
}

const schema = {
    format: EXTRACTOR_FORMAT,
    package: pkgName,
    version: pkgVersion,
    source: `${pkgJson.name}@${pkgJson.version}`,
    config: config ? config.inputs : {},
    resources: sortObj(resources),
    types: sortObj(typesOut),
    enums: sortObj(enumsOut),
};
const out = JSON.stringify(schema);
fs.mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
const tmp = outFile + ".tmp-" + process.pid;
fs.writeFileSync(tmp, out);
fs.renameSync(tmp, outFile);

const un = [...unresolved.entries()].sort((a, b) => b[1] - a[1]);
console.error(`extract-schema: ${schema.source}: ${Object.keys(resources).length} resources (${resourceFiles} files), ` +
    `${Object.keys(typesOut).length} object types, ${Object.keys(enumsOut).length} enums, ` +
    `${out.length} bytes, sha256 ${crypto.createHash("sha256").update(out).digest("hex").slice(0, 12)}, ` +
    `${((Date.now() - started) / 1000).toFixed(1)}s -> ${outFile}`);
if (un.length) {
    console.error(`extract-schema: ${un.length} type references typed as "any" (not resolvable statically):`);
    for (const [k, n] of un.slice(0, 15)) console.error(`  ${n}x ${k}`);
}
