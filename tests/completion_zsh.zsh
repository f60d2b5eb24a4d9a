#!/bin/zsh -f
# completion_zsh.zsh LINE: the candidates zsh's completion offers after LINE,
# one a line, from an interactive zsh driven through a pseudo-terminal (zpty)
# with extdeps's completion loaded: compadd is wrapped to print what it
# would offer (as zsh-capture-completion does), after a \1 byte, which the
# echo of the command lines cannot hold. 'extdeps' is found on PATH.
zmodload zsh/zpty || exit 77
zpty z zsh -f -i
zpty -w z 'PS1= PROMPT= RPROMPT=; autoload -Uz compinit; compinit -u -D'
zpty -w z 'source <(extdeps completion zsh)'
zpty -w z 'compadd() { if (( ${@[(I)-[OAD]]} )); then builtin compadd "$@"; return; fi; local -a __hits; builtin compadd -O __hits "$@"; (( $#__hits )) && printf "\001%s\n" "${__hits[@]}"; }'
zpty -w z '__end() { printf "\002\n"; exit }; comppostfuncs=(__end)'
zpty -w -n z "$1"$'\t'
local line
while zpty -r z line; do
	[[ $line == *$'\2'* ]] && break
	[[ $line == *$'\1'* ]] && print -r -- "${${line#*$'\1'}%%$'\r'*}"
done
zpty -d z
