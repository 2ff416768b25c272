# onedoor.bash - bash completion for the onedoor commands:
# case-add, case-route, mediate, confirm, report.
#
# `make install` copies this file as
# $(PREFIX)/share/bash-completion/completions/CMD for each command, where
# bash-completion loads it on the first TAB after CMD; or source it from
# ~/.bashrc.  It completes every option each command accepts (the
# getopt tables in cmd/*.c and include/cli.h; tests/golden/scripts/
# completion checks that the lists here match them), the values of
# options that take a word from a fixed set (--from, --to, --encoding,
# --lang, --outcome, --since/--until, report's --by and --fields, the
# record fields of --fields, comma lists included), file names for
# options that take a file and for operands, and nothing for free text
# (--now, --id, --note, ...).  Needs bash 4; does not need the
# bash-completion package.

_onedoor_common='-h --help -V --version -o --output -z --gzip -q --quiet
	--from --to --encoding --now --rejects --excel --fields --lang --unmask
	--progress --no-progress'

_onedoor_options()
{
	case $1 in
	case-add)	echo "$_onedoor_common --append --prefix --map --set" ;;
	case-route)	echo "$_onedoor_common -i --in-place --rules --roster
			--print-rules --escalate --by --at --id --calendar --law" ;;
	mediate)	echo "$_onedoor_common -i --in-place --calendar --law --events --id
			--source-id --outcome --at --amount --performed --by --note
			--terms" ;;
	confirm)	echo "$_onedoor_common -i --in-place --calendar --law --events --id
			--source-id --court --ruling --at --applied --applied-at
			--performed --enforcement --late-ok --by --note" ;;
	report)		echo "$_onedoor_common --since --until --by --overdue
			--fail-on-overdue --risk --min-cases --partial --merge
			--due --within --calendar --law" ;;
	esac
}

_onedoor_record_fields='id source_id received_at channel type claimant.name
	claimant.id_no claimant.phone workers employer.name employer.credit_code
	grid amount summary status track desk assignee priority due_at
	agreement.amount agreement.at agreement.by agreement.terms
	confirmation.court confirmation.ruling confirmation.applied_at
	confirmation.at confirmation.late enforcement.at enforcement.court
	enforcement.note resolution closed_at possible_duplicate_of history'

_onedoor_report_figures='cases workers amount online offline open closed
	status_new status_routed status_mediating status_agreed status_failed
	status_escalated status_confirmed status_closed status_other mediated
	agreed failed withdrawn success_rate confirmed performed escalated
	referred enforcement agreed_amount overdue closed_in_time closed_late
	median_hours p90_hours warning warning_workers mediation_in_limit
	mediation_after_limit mediation_past_limit confirmation_in_window
	confirmation_missed'

_onedoor_report_keys='day week month year channel type grid employer
	assignee track status priority desk'

_onedoor_windows='today yesterday this-week last-week this-month last-month
	this-year last-year -7d -30d'

# COMPREPLY = the words of $1 that start with $2
_onedoor_words()
{
	local w
	COMPREPLY=()
	for w in $1; do
		[[ $w == "$2"* ]] && COMPREPLY+=("$w")
	done
	return 0
}

# A comma-separated list: complete the part after the last comma.
_onedoor_list()
{
	local head='' tail=$2 w
	if [[ $tail == *,* ]]; then
		head=${tail%,*},
		tail=${tail##*,}
	fi
	COMPREPLY=()
	for w in $1; do
		[[ $w == "$tail"* ]] && COMPREPLY+=("$head$w")
	done
	# keep bash from adding a space: another field may follow
	[[ ${#COMPREPLY[@]} -eq 1 ]] && compopt -o nospace 2>/dev/null
	return 0
}

_onedoor_files()
{
	compopt -o filenames 2>/dev/null
	mapfile -t COMPREPLY < <(compgen -f -- "$1")
}

_onedoor()
{
	local cmd=${1##*/} cur=${COMP_WORDS[COMP_CWORD]} prev='' i
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}

	# --opt=value, split by bash at '=' or not
	if [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		cur=${cur#*=}
	elif [[ $cur == = ]]; then
		cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	[[ $cur == = ]] && cur=

	# operands after --
	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} == -- ]]; then
			_onedoor_files "$cur"
			return 0
		fi
	done

	case $prev in
	-o | --output | --append | -i | --in-place | --rejects | --rules | \
	--roster | --events | --calendar | --law)
		_onedoor_files "$cur"
		return 0 ;;
	--from)
		_onedoor_words 'auto csv jsonl' "$cur"
		return 0 ;;
	--to)
		if [[ $cmd == report ]]; then
			_onedoor_words 'table csv json jsonl html' "$cur"
		else
			_onedoor_words 'jsonl csv' "$cur"
		fi
		return 0 ;;
	--encoding)
		_onedoor_words 'auto utf-8 gb18030' "$cur"
		return 0 ;;
	--lang)
		_onedoor_words 'en zh' "$cur"
		return 0 ;;
	--outcome)
		[[ $cmd == mediate ]] && _onedoor_words 'session agreed failed withdrawn' "$cur"
		return 0 ;;
	--since | --until)
		[[ $cmd == report ]] && _onedoor_words "$_onedoor_windows" "$cur"
		return 0 ;;
	--by)
		# report groups by keys; elsewhere --by is a person's name
		[[ $cmd == report ]] && _onedoor_list "$_onedoor_report_keys" "$cur"
		return 0 ;;
	--fields)
		if [[ $cmd == report ]]; then
			_onedoor_list "$_onedoor_report_figures" "$cur"
		else
			_onedoor_list "$_onedoor_record_fields" "$cur"
		fi
		return 0 ;;
	--now | --prefix | --map | --set | --id | --source-id | --at | --amount | \
	--terms | --note | --court | --ruling | --applied | --applied-at | \
	--min-cases)
		COMPREPLY=()
		return 0 ;;
	esac

	if [[ $cur == -* ]]; then
		_onedoor_words "$(_onedoor_options "$cmd")" "$cur"
		return 0
	fi
	_onedoor_files "$cur"
	return 0
}

complete -F _onedoor case-add case-route mediate confirm report
