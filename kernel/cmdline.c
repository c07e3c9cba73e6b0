/*
 * Kernel command-line parsing (Linux: init/main.c, kernel/params.c).
 * The line is split into words; "name=value" or "name". A word whose name
 * matches a __setup()/early_param() entry goes to its handler; a handler
 * that rejects its value gets "Malformed kernel parameter" and the word is
 * ignored. Unknown words are collected in unknown_params and reported once,
 * in Linux's words, because user space may want them. Everything after "--"
 * is for init. Boot-time only, one CPU, no lock.
 */
#include <kernel/kernel.h>
#include <kernel/cmdline.h>
#include <lib/string.h>
#include <uapi/errno.h>

char boot_command_line[COMMAND_LINE_SIZE];
char unknown_params[COMMAND_LINE_SIZE];
const char *ktest_pattern;

extern const struct obs_kernel_param __start_setup[], __stop_setup[];

/* The parameter a word belongs to, or NULL. "mem=64M" matches "mem="; "quiet" matches "quiet". */
static const struct obs_kernel_param *find_param(const char *word, size_t len)
{
	for (const struct obs_kernel_param *p = __start_setup; p < __stop_setup; p++) {
		size_t n = strlen(p->str);
		if (p->str[n - 1] == '=') {
			if (len >= n && !strncmp(word, p->str, n))
				return p;
		} else if (len == n && !strncmp(word, p->str, n)) {
			return p;
		}
	}
	return NULL;
}

/*
 * The words of the command line, split once into a private copy that stays
 * for the kernel's lifetime: handlers may keep pointers to their values, as
 * they may into Linux's static_command_line.
 */
static char param_copy[COMMAND_LINE_SIZE];
static char *param_words[COMMAND_LINE_SIZE / 2];
static unsigned int nr_param_words;

static void split_command_line(void)
{
	char *s = param_copy;

	strlcpy(param_copy, boot_command_line, sizeof(param_copy));
	while (*(s = skip_spaces(s))) {
		param_words[nr_param_words++] = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\n')
			s++;
		if (*s)
			*s++ = 0;
	}
}

/* init's argv (after argv[0]) and envp, from unknown parameters and the words after "--". */
#define MAX_INIT_ARGS 32
const char *argv_init[MAX_INIT_ARGS + 2];
const char *envp_init[MAX_INIT_ARGS + 2] = { "HOME=/", "TERM=linux" };
static unsigned int nr_argv_init = 1, nr_envp_init = 2;	/* argv[0] is filled in by kernel_init */
const char *execute_command;	/* init= */

static void add_init_arg(const char *word, bool env)
{
	if (env ? nr_envp_init >= MAX_INIT_ARGS : nr_argv_init >= MAX_INIT_ARGS) {
		pr_warn("Too many boot %s vars at `%s'\n", env ? "env" : "init", word);
		return;
	}
	if (env)
		envp_init[nr_envp_init++] = word;
	else
		argv_init[nr_argv_init++] = word;
}

__setup_string("init=", execute_command);

/* Run p's handler on val, or set p's string: 0, or a negative errno if val is refused. */
static int run_setup(const struct obs_kernel_param *p, char *val)
{
	if (p->setup_func)
		return p->setup_func(val);
	if (!*val)
		return -EINVAL;
	*p->string = val;
	return 0;
}

void parse_args(bool early)
{
	size_t unknown_len = 0;

	if (early)
		split_command_line();
	for (unsigned int i = 0; i < nr_param_words; i++) {
		char *word = param_words[i];
		size_t len = strlen(word);
		if (!strcmp(word, "--")) {	/* the rest is init's argv */
			for (i++; !early && i < nr_param_words; i++)
				add_init_arg(param_words[i], false);
			break;
		}

		const struct obs_kernel_param *p = find_param(word, len);
		if (!p && !early)
			add_init_arg(word, strchr(word, '=') != NULL);	/* as Linux: foo=bar into envp, words into argv */
		if (!p) {
			if (!early && unknown_len + len + 2 < sizeof(unknown_params)) {
				if (unknown_len)
					unknown_params[unknown_len++] = ' ';
				memcpy(unknown_params + unknown_len, word, len + 1);
				unknown_len += len;
			}
			continue;
		}
		if (p->early != early)
			continue;
		if (run_setup(p, word + strlen(p->str)) < 0)
			pr_warn("Malformed kernel parameter '%s', ignored\n", word);
	}
	if (!early && unknown_len)
		pr_notice("Unknown kernel command line parameters \"%s\", will be passed to user space.\n",
			  unknown_params);
}

__setup_string("ktest=", ktest_pattern);
