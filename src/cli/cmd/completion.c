/* completion.c - `extdeps completion SHELL`: the shell's side of completion;
 * and `extdeps completion complete -- WORD...`, which the scripts run at
 * each TAB: it completes the last WORD of the command line from the command
 * and option tables (and the registry, for targets and DepURLs), so that
 * what the shells offer never drifts from what the parser takes. */
#include <stdlib.h>
#include <string.h>

#include "extdeps/eco/arch.h"
#include "extdeps/map/registry.h"
#include "cli.h"
#include "cmd.h"

static const char *const shells[] = { "bash", "zsh", "fish", NULL };

/* --- the engine --- */

/* What the shell completes itself, after the candidates (the last line). */
enum directive { DIRECTIVE_NONE, DIRECTIVE_FILES, DIRECTIVE_DIRS };

struct completer {
	struct ctx *ctx;
	const char *cur;      /* the word being completed, as typed so far */
	enum directive directive;
};

/* One candidate: PREFIX and WORD make the whole word, offered when it
 * begins with what was typed; DESC (or NULL) is shown beside it. */
static void offer(struct completer *cp, const char *prefix, const char *word, const char *desc)
{
	size_t lp = strlen(prefix), lc = strlen(cp->cur);

	if (lc > lp ? strncmp(cp->cur, prefix, lp) || strncmp(cp->cur + lp, word, lc - lp)
		    : strncmp(cp->cur, prefix, lc))
		return;
	fprintf(cp->ctx->out.out, "%s%s%s%s\n", prefix, word, desc ? "\t" : "", desc ? desc : "");
}

/* The option of C's tables (the top-level ones when C is NULL) that WORD
 * ("--name", "--name=...", "-x") names, or NULL. */
static const struct opt *find_opt(const struct cmd *c, const char *word)
{
	const struct opt *top[] = { cli_global_opts, NULL }, *tables[CLI_MAX_TABLES];
	const struct opt *const *t = top;
	size_t len;

	if (c) {
		cli_command_tables(c, tables);
		t = tables;
	}
	for (; *t; t++)
		for (const struct opt *o = *t; o->type != OPT_END; o++) {
			if (word[1] != '-') {
				if (o->short_name && word[1] == o->short_name)
					return o;
				continue;
			}
			len = strcspn(word + 2, "=");
			if (strlen(o->name) == len && !strncmp(o->name, word + 2, len))
				return o;
		}
	return NULL;
}

static void offer_targets(struct completer *cp, const char *prefix)
{
	struct registry *reg;
	char buf[256];

	if (cli_load_registry_list(cp->ctx, NULL, 0))
		return;
	reg = cp->ctx->reg;
	for (size_t i = 0; i < registry_necosystems(reg); i++) {
		const struct reg_ecosystem *e = registry_ecosystem_at(reg, i);
		offer(cp, prefix, e->id, e->name);
		for (size_t r = 0; r < e->nreleases; r++) {
			snprintf(buf, sizeof buf, "%s:%s", e->id, e->releases[r].number);
			offer(cp, prefix, buf, e->releases[r].codename);
			if (e->releases[r].codename) {
				snprintf(buf, sizeof buf, "%s:%s", e->id, e->releases[r].codename);
				offer(cp, prefix, buf, e->releases[r].number);
			}
		}
	}
}

static void offer_depurls(struct completer *cp, const char *prefix)
{
	if (cli_load_registry_list(cp->ctx, NULL, 0))
		return;
	for (size_t i = 0; i < registry_ndefs(cp->ctx->reg); i++) {
		const struct reg_def *def = registry_def_at(cp->ctx->reg, i);
		offer(cp, prefix, def->id, def->description);
	}
}

/* --stage's comma list: the stages not yet in it, after those typed. */
static void offer_stages(struct completer *cp, const char *prefix, const char *value)
{
	static const char *const stages[] = { "build", "host", "run" };
	const char *last = strrchr(value, ',');
	char head[512];

	snprintf(head, sizeof head, "%s%.*s", prefix, last ? (int)(last - value + 1) : 0, value);
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(stages[i]);
		const char *at = strstr(value, stages[i]);
		/* a stage already listed, whole, is not offered again */
		if (at && (at == value || at[-1] == ',') && (at[n] == ',' || (!at[n] && last)))
			continue;
		offer(cp, head, stages[i], NULL);
	}
}

/* The values of option O of command C (NULL: before the command), each as
 * PREFIX and the value; VALUE is what was typed of it. */
static void offer_values(struct completer *cp, const struct cmd *c, const struct opt *o,
			 const char *prefix, const char *value)
{
	const char *names[128];
	size_t n, ncanonical;

	if (o->choices) {
		for (const char *const *v = o->choices; *v; v++)
			offer(cp, prefix, *v, NULL);
	} else if (o->id == CLI_OPT_FORMAT) {
		for (const char *const *v = c ? c->formats : NULL; v && *v; v++)
			offer(cp, prefix, *v, NULL);
	} else if (o->id == CLI_OPT_DISTRO) {
		offer_targets(cp, prefix);
	} else if (o->id == CLI_OPT_ARCH) {
		n = arch_names(names, 128, &ncanonical);
		for (size_t i = 0; i < n; i++)
			offer(cp, prefix, names[i], NULL);
	} else if (o->id == CLI_OPT_STAGE) {
		offer_stages(cp, prefix, value);
	} else if (o->arg && !strcmp(o->arg, "DEPURL")) {
		offer_depurls(cp, prefix);
	} else if (o->arg && !strcmp(o->arg, "DIR")) {
		cp->directive = DIRECTIVE_DIRS;
	} else if (o->arg && (!strcmp(o->arg, "FILE") || !strcmp(o->arg, "PATH"))) {
		cp->directive = DIRECTIVE_FILES;
	}
}

/* The options command C takes (the top-level ones when C is NULL). */
static void offer_options(struct completer *cp, const struct cmd *c)
{
	const struct opt *top[] = { cli_global_opts, NULL }, *tables[CLI_MAX_TABLES];
	const struct opt *const *t = top;

	if (c) {
		cli_command_tables(c, tables);
		t = tables;
	}
	for (; *t; t++)
		for (const struct opt *o = *t; o->type != OPT_END; o++) {
			char word[64];

			if (c && !cli_opt_applies(c, o))
				continue;
			/* a value follows an option's '=' at once */
			snprintf(word, sizeof word, "%s%s", o->name, o->type == OPT_VALUE ? "=" : "");
			offer(cp, "--", word, o->help);
		}
	offer(cp, "--", "help", "show the help");
	if (!c)
		offer(cp, "--", "version", "print the version");
}

static void offer_commands(struct completer *cp)
{
	for (const struct cmd *const *c = cli_commands; *c; c++)
		offer(cp, "", (*c)->name, (*c)->summary);
	offer(cp, "", "help", "show the help of a command");
}

/* Complete the last of the N WORDS after "extdeps". */
static void complete(struct ctx *ctx, char **words, int n)
{
	struct completer cp = { ctx, words[n - 1], DIRECTIVE_NONE };
	const struct cmd *c = NULL;
	const struct opt *pending = NULL; /* the option whose value is the last word */
	const char *sub = NULL;
	bool help = false, unknown = false;
	int noperands = 0;

	for (int i = 0; i < n - 1; i++) {
		const char *w = words[i];
		const struct opt *o;

		if (w[0] == '-' && w[1]) {
			/* a value given as the next word */
			if ((o = find_opt(c, w)) && o->type == OPT_VALUE && !strchr(w, '=') &&
			    (w[1] == '-' || !w[2]) && ++i == n - 1)
				pending = o;
			continue;
		}
		if (!c && !help && !unknown) {
			help = !strcmp(w, "help");
			c = cli_find_command(w);
			unknown = !help && !c;
		} else {
			sub = sub ? sub : w;
			noperands++;
		}
	}
	if (unknown)
		return;
	if (pending) {
		offer_values(&cp, c, pending, "", cp.cur);
	} else if (!strncmp(cp.cur, "--", 2) && strchr(cp.cur, '=')) {
		const struct opt *o = find_opt(c, cp.cur);
		const char *eq = strchr(cp.cur, '=');
		char prefix[128];

		snprintf(prefix, sizeof prefix, "%.*s", (int)(eq - cp.cur + 1), cp.cur);
		if (o && o->type == OPT_VALUE && (!c || cli_opt_applies(c, o)))
			offer_values(&cp, c, o, prefix, eq + 1);
	} else if (cp.cur[0] == '-') {
		offer_options(&cp, c);
	} else if (!c && !help) {
		offer_commands(&cp);
	} else if (help) {
		if (!noperands)
			offer_commands(&cp);
	} else if (c->subcommands && !sub) {
		for (const char *const *s = c->subcommands; *s; s++)
			offer(&cp, "", *s, NULL);
	} else if (c->subcommands && !strcmp(sub, "show") && noperands == 1) {
		offer_depurls(&cp, "");
	} else if (c == &cmd_completion && !noperands) {
		for (const char *const *s = shells; *s; s++)
			offer(&cp, "", *s, NULL);
	} else if (c->flags & CMD_PROJECT) {
		cp.directive = DIRECTIVE_FILES;
	}
	if (cp.directive != DIRECTIVE_NONE)
		fputs(cp.directive == DIRECTIVE_DIRS ? ":dirs\n" : ":files\n", ctx->out.out);
}

/* --- the scripts --- */

static const char bash_script[] =
	"# bash completion for extdeps; generated by 'extdeps completion bash'\n"
	"# Each TAB asks 'extdeps completion complete -- WORD...' for the candidates.\n"
	"_extdeps() {\n"
	"    local line=${COMP_LINE:0:COMP_POINT} cur c keep directive=\n"
	"    local -a words cands\n"
	"    read -ra words <<< \"$line\"\n"
	"    [[ $line =~ [[:space:]]$ ]] && words+=(\"\")\n"
	"    cur=${words[${#words[@]}-1]}\n"
	"    COMPREPLY=()\n"
	"    while IFS= read -r c; do\n"
	"        case $c in\n"
	"        :files) directive=-f ;;\n"
	"        :dirs) directive=-d ;;\n"
	"        *) cands+=(\"${c%%$'\\t'*}\") ;;\n"
	"        esac\n"
	"    done < <(\"${words[0]}\" completion complete -- \"${words[@]:1}\" 2>/dev/null)\n"
	"    # bash replaces only what follows the word's last '=' or ':'\n"
	"    keep=${cur%\"${cur##*[=:]}\"}\n"
	"    for c in \"${cands[@]}\"; do COMPREPLY+=(\"${c#\"$keep\"}\"); done\n"
	"    if [[ $directive ]]; then\n"
	"        compopt -o filenames\n"
	"        while IFS= read -r c; do COMPREPLY+=(\"$c\"); done < <(compgen $directive -- \"${cur#\"$keep\"}\")\n"
	"    fi\n"
	"    # an option that takes a value: no space after its '='\n"
	"    [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace\n"
	"    return 0\n"
	"}\n"
	"complete -F _extdeps extdeps\n";

static const char zsh_script[] =
	"#compdef extdeps\n"
	"# zsh completion for extdeps; generated by 'extdeps completion zsh'\n"
	"# Each TAB asks 'extdeps completion complete -- WORD...' for the candidates.\n"
	"_extdeps() {\n"
	"  local line directive\n"
	"  local -a words_ vals descs eqvals eqdescs\n"
	"  for line in \"${(@f)$(${words[1]} completion complete -- \"${(@)words[2,CURRENT]}\" 2>/dev/null)}\"; do\n"
	"    case $line in\n"
	"      :files) directive=files ;;\n"
	"      :dirs) directive=dirs ;;\n"
	"      *=|*=$'\\t'*)\n"
	"        eqvals+=(\"${line%%$'\\t'*}\"); eqdescs+=(\"${line/$'\\t'/  -- }\") ;;\n"
	"      ?*)\n"
	"        vals+=(\"${line%%$'\\t'*}\"); descs+=(\"${line/$'\\t'/  -- }\") ;;\n"
	"    esac\n"
	"  done\n"
	"  (( $#vals )) && compadd -Q -l -d descs -- \"${vals[@]}\"\n"
	"  # an option that takes a value: no space after its '='\n"
	"  (( $#eqvals )) && compadd -Q -l -S '' -d eqdescs -- \"${eqvals[@]}\"\n"
	"  # a path after an option's '='\n"
	"  [[ $directive && $PREFIX == --*=* ]] && compset -P '*='\n"
	"  case $directive in\n"
	"    files) _files ;;\n"
	"    dirs) _files -/ ;;\n"
	"  esac\n"
	"}\n"
	"if [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n"
	"  _extdeps \"$@\"\n"
	"else\n"
	"  compdef _extdeps extdeps\n"
	"fi\n";

static const char fish_script[] =
	"# fish completion for extdeps; generated by 'extdeps completion fish'\n"
	"# Each TAB asks 'extdeps completion complete -- WORD...' for the candidates.\n"
	"function __extdeps_complete\n"
	"    set -l words (commandline -opc)\n"
	"    set -l cmd $words[1]\n"
	"    set -e words[1]\n"
	"    set -l cur (commandline -ct)\n"
	"    for line in ($cmd completion complete -- $words \"$cur\" 2>/dev/null)\n"
	"        switch $line\n"
	"            case :files\n"
	"                __fish_complete_path \"$cur\"\n"
	"            case :dirs\n"
	"                __fish_complete_directories \"$cur\"\n"
	"            case '*'\n"
	"                echo $line\n"
	"        end\n"
	"    end\n"
	"end\n"
	"complete -c extdeps -f -a '(__extdeps_complete)'\n";

static int run(struct ctx *ctx)
{
	static const char *const scripts[] = { bash_script, zsh_script, fish_script };

	if (ctx->noperands >= 1 && !strcmp(ctx->operands[0], "complete")) {
		if (ctx->noperands >= 2)
			complete(ctx, ctx->operands + 1, ctx->noperands - 1);
		return ED_EXIT_OK;
	}
	if (ctx->noperands != 1) {
		out_error(&ctx->out, "'extdeps completion' takes one shell: bash, zsh or fish");
		return ED_EXIT_INPUT;
	}
	for (int i = 0; shells[i]; i++)
		if (!strcmp(ctx->operands[0], shells[i])) {
			fputs(scripts[i], ctx->out.out);
			return ED_EXIT_OK;
		}
	out_error(&ctx->out, "unknown shell '%s'; expected bash, zsh or fish", ctx->operands[0]);
	return ED_EXIT_INPUT;
}

const struct cmd cmd_completion = {
	.name = "completion",
	.run = run,
	.summary = "print shell completions generated from the command table",
	.operands = "bash|zsh|fish",
	.max_operands = -1,
};
