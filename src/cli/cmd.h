/* cmd.h - the entry point of each subcommand (src/cmd/NAME.c). Each takes the
 * arguments after its name and returns an exit status (diag.h). */
#ifndef EXTDEPS_CMD_H
#define EXTDEPS_CMD_H

struct ctx;
struct opt;

int cmd_check(struct ctx *ctx, int argc, char **argv);
int cmd_completion(struct ctx *ctx, int argc, char **argv);
int cmd_export(struct ctx *ctx, int argc, char **argv);
int cmd_install(struct ctx *ctx, int argc, char **argv);
int cmd_map(struct ctx *ctx, int argc, char **argv);
int cmd_mappings(struct ctx *ctx, int argc, char **argv);
int cmd_plan(struct ctx *ctx, int argc, char **argv);
int cmd_platform(struct ctx *ctx, int argc, char **argv);
int cmd_show(struct ctx *ctx, int argc, char **argv);
int cmd_update(struct ctx *ctx, int argc, char **argv);

extern const char *const cmd_check_formats[];
extern const char *const cmd_export_formats[];
extern const char *const cmd_install_formats[];
extern const char *const cmd_map_formats[];
extern const char *const cmd_mappings_formats[];
extern const char *const cmd_plan_formats[];
extern const char *const cmd_platform_formats[];
extern const char *const cmd_show_formats[];
extern const struct opt cmd_export_opts[];
extern const struct opt cmd_install_opts[];
extern const char *const cmd_update_formats[];
extern const struct opt cmd_mappings_opts[];
extern const struct opt cmd_plan_opts[];

#endif
