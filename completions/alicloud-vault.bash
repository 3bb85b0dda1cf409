_alicloud__vault() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="alicloud__vault"
                ;;
            alicloud__vault,add)
                cmd="alicloud__vault__subcmd__add"
                ;;
            alicloud__vault,agent)
                cmd="alicloud__vault__subcmd__agent"
                ;;
            alicloud__vault,clear)
                cmd="alicloud__vault__subcmd__clear"
                ;;
            alicloud__vault,completion)
                cmd="alicloud__vault__subcmd__completion"
                ;;
            alicloud__vault,exec)
                cmd="alicloud__vault__subcmd__exec"
                ;;
            alicloud__vault,export)
                cmd="alicloud__vault__subcmd__export"
                ;;
            alicloud__vault,help)
                cmd="alicloud__vault__subcmd__help"
                ;;
            alicloud__vault,list)
                cmd="alicloud__vault__subcmd__list"
                ;;
            alicloud__vault,login)
                cmd="alicloud__vault__subcmd__login"
                ;;
            alicloud__vault,ls)
                cmd="alicloud__vault__subcmd__list"
                ;;
            alicloud__vault,metadata)
                cmd="alicloud__vault__subcmd__metadata"
                ;;
            alicloud__vault,migrate)
                cmd="alicloud__vault__subcmd__migrate"
                ;;
            alicloud__vault,oauth)
                cmd="alicloud__vault__subcmd__oauth"
                ;;
            alicloud__vault,remove)
                cmd="alicloud__vault__subcmd__remove"
                ;;
            alicloud__vault,rm)
                cmd="alicloud__vault__subcmd__remove"
                ;;
            alicloud__vault,rotate)
                cmd="alicloud__vault__subcmd__rotate"
                ;;
            alicloud__vault,setup)
                cmd="alicloud__vault__subcmd__setup"
                ;;
            alicloud__vault,sso)
                cmd="alicloud__vault__subcmd__sso"
                ;;
            alicloud__vault__subcmd__agent,help)
                cmd="alicloud__vault__subcmd__agent__subcmd__help"
                ;;
            alicloud__vault__subcmd__agent,log)
                cmd="alicloud__vault__subcmd__agent__subcmd__log"
                ;;
            alicloud__vault__subcmd__agent,run)
                cmd="alicloud__vault__subcmd__agent__subcmd__run"
                ;;
            alicloud__vault__subcmd__agent,start)
                cmd="alicloud__vault__subcmd__agent__subcmd__start"
                ;;
            alicloud__vault__subcmd__agent,status)
                cmd="alicloud__vault__subcmd__agent__subcmd__status"
                ;;
            alicloud__vault__subcmd__agent,stop)
                cmd="alicloud__vault__subcmd__agent__subcmd__stop"
                ;;
            alicloud__vault__subcmd__agent__subcmd__help,help)
                cmd="alicloud__vault__subcmd__agent__subcmd__help__subcmd__help"
                ;;
            alicloud__vault__subcmd__agent__subcmd__help,log)
                cmd="alicloud__vault__subcmd__agent__subcmd__help__subcmd__log"
                ;;
            alicloud__vault__subcmd__agent__subcmd__help,run)
                cmd="alicloud__vault__subcmd__agent__subcmd__help__subcmd__run"
                ;;
            alicloud__vault__subcmd__agent__subcmd__help,start)
                cmd="alicloud__vault__subcmd__agent__subcmd__help__subcmd__start"
                ;;
            alicloud__vault__subcmd__agent__subcmd__help,status)
                cmd="alicloud__vault__subcmd__agent__subcmd__help__subcmd__status"
                ;;
            alicloud__vault__subcmd__agent__subcmd__help,stop)
                cmd="alicloud__vault__subcmd__agent__subcmd__help__subcmd__stop"
                ;;
            alicloud__vault__subcmd__help,add)
                cmd="alicloud__vault__subcmd__help__subcmd__add"
                ;;
            alicloud__vault__subcmd__help,agent)
                cmd="alicloud__vault__subcmd__help__subcmd__agent"
                ;;
            alicloud__vault__subcmd__help,clear)
                cmd="alicloud__vault__subcmd__help__subcmd__clear"
                ;;
            alicloud__vault__subcmd__help,completion)
                cmd="alicloud__vault__subcmd__help__subcmd__completion"
                ;;
            alicloud__vault__subcmd__help,exec)
                cmd="alicloud__vault__subcmd__help__subcmd__exec"
                ;;
            alicloud__vault__subcmd__help,export)
                cmd="alicloud__vault__subcmd__help__subcmd__export"
                ;;
            alicloud__vault__subcmd__help,help)
                cmd="alicloud__vault__subcmd__help__subcmd__help"
                ;;
            alicloud__vault__subcmd__help,list)
                cmd="alicloud__vault__subcmd__help__subcmd__list"
                ;;
            alicloud__vault__subcmd__help,login)
                cmd="alicloud__vault__subcmd__help__subcmd__login"
                ;;
            alicloud__vault__subcmd__help,metadata)
                cmd="alicloud__vault__subcmd__help__subcmd__metadata"
                ;;
            alicloud__vault__subcmd__help,migrate)
                cmd="alicloud__vault__subcmd__help__subcmd__migrate"
                ;;
            alicloud__vault__subcmd__help,oauth)
                cmd="alicloud__vault__subcmd__help__subcmd__oauth"
                ;;
            alicloud__vault__subcmd__help,remove)
                cmd="alicloud__vault__subcmd__help__subcmd__remove"
                ;;
            alicloud__vault__subcmd__help,rotate)
                cmd="alicloud__vault__subcmd__help__subcmd__rotate"
                ;;
            alicloud__vault__subcmd__help,setup)
                cmd="alicloud__vault__subcmd__help__subcmd__setup"
                ;;
            alicloud__vault__subcmd__help,sso)
                cmd="alicloud__vault__subcmd__help__subcmd__sso"
                ;;
            alicloud__vault__subcmd__help__subcmd__agent,log)
                cmd="alicloud__vault__subcmd__help__subcmd__agent__subcmd__log"
                ;;
            alicloud__vault__subcmd__help__subcmd__agent,run)
                cmd="alicloud__vault__subcmd__help__subcmd__agent__subcmd__run"
                ;;
            alicloud__vault__subcmd__help__subcmd__agent,start)
                cmd="alicloud__vault__subcmd__help__subcmd__agent__subcmd__start"
                ;;
            alicloud__vault__subcmd__help__subcmd__agent,status)
                cmd="alicloud__vault__subcmd__help__subcmd__agent__subcmd__status"
                ;;
            alicloud__vault__subcmd__help__subcmd__agent,stop)
                cmd="alicloud__vault__subcmd__help__subcmd__agent__subcmd__stop"
                ;;
            alicloud__vault__subcmd__help__subcmd__metadata,setup)
                cmd="alicloud__vault__subcmd__help__subcmd__metadata__subcmd__setup"
                ;;
            alicloud__vault__subcmd__help__subcmd__metadata,use)
                cmd="alicloud__vault__subcmd__help__subcmd__metadata__subcmd__use"
                ;;
            alicloud__vault__subcmd__help__subcmd__oauth,login)
                cmd="alicloud__vault__subcmd__help__subcmd__oauth__subcmd__login"
                ;;
            alicloud__vault__subcmd__help__subcmd__oauth,logout)
                cmd="alicloud__vault__subcmd__help__subcmd__oauth__subcmd__logout"
                ;;
            alicloud__vault__subcmd__help__subcmd__setup,aliyun-cli)
                cmd="alicloud__vault__subcmd__help__subcmd__setup__subcmd__aliyun__subcmd__cli"
                ;;
            alicloud__vault__subcmd__help__subcmd__sso,configure)
                cmd="alicloud__vault__subcmd__help__subcmd__sso__subcmd__configure"
                ;;
            alicloud__vault__subcmd__help__subcmd__sso,list)
                cmd="alicloud__vault__subcmd__help__subcmd__sso__subcmd__list"
                ;;
            alicloud__vault__subcmd__help__subcmd__sso,login)
                cmd="alicloud__vault__subcmd__help__subcmd__sso__subcmd__login"
                ;;
            alicloud__vault__subcmd__help__subcmd__sso,logout)
                cmd="alicloud__vault__subcmd__help__subcmd__sso__subcmd__logout"
                ;;
            alicloud__vault__subcmd__metadata,help)
                cmd="alicloud__vault__subcmd__metadata__subcmd__help"
                ;;
            alicloud__vault__subcmd__metadata,setup)
                cmd="alicloud__vault__subcmd__metadata__subcmd__setup"
                ;;
            alicloud__vault__subcmd__metadata,use)
                cmd="alicloud__vault__subcmd__metadata__subcmd__use"
                ;;
            alicloud__vault__subcmd__metadata__subcmd__help,help)
                cmd="alicloud__vault__subcmd__metadata__subcmd__help__subcmd__help"
                ;;
            alicloud__vault__subcmd__metadata__subcmd__help,setup)
                cmd="alicloud__vault__subcmd__metadata__subcmd__help__subcmd__setup"
                ;;
            alicloud__vault__subcmd__metadata__subcmd__help,use)
                cmd="alicloud__vault__subcmd__metadata__subcmd__help__subcmd__use"
                ;;
            alicloud__vault__subcmd__oauth,help)
                cmd="alicloud__vault__subcmd__oauth__subcmd__help"
                ;;
            alicloud__vault__subcmd__oauth,login)
                cmd="alicloud__vault__subcmd__oauth__subcmd__login"
                ;;
            alicloud__vault__subcmd__oauth,logout)
                cmd="alicloud__vault__subcmd__oauth__subcmd__logout"
                ;;
            alicloud__vault__subcmd__oauth__subcmd__help,help)
                cmd="alicloud__vault__subcmd__oauth__subcmd__help__subcmd__help"
                ;;
            alicloud__vault__subcmd__oauth__subcmd__help,login)
                cmd="alicloud__vault__subcmd__oauth__subcmd__help__subcmd__login"
                ;;
            alicloud__vault__subcmd__oauth__subcmd__help,logout)
                cmd="alicloud__vault__subcmd__oauth__subcmd__help__subcmd__logout"
                ;;
            alicloud__vault__subcmd__setup,aliyun-cli)
                cmd="alicloud__vault__subcmd__setup__subcmd__aliyun__subcmd__cli"
                ;;
            alicloud__vault__subcmd__setup,help)
                cmd="alicloud__vault__subcmd__setup__subcmd__help"
                ;;
            alicloud__vault__subcmd__setup__subcmd__help,aliyun-cli)
                cmd="alicloud__vault__subcmd__setup__subcmd__help__subcmd__aliyun__subcmd__cli"
                ;;
            alicloud__vault__subcmd__setup__subcmd__help,help)
                cmd="alicloud__vault__subcmd__setup__subcmd__help__subcmd__help"
                ;;
            alicloud__vault__subcmd__sso,configure)
                cmd="alicloud__vault__subcmd__sso__subcmd__configure"
                ;;
            alicloud__vault__subcmd__sso,help)
                cmd="alicloud__vault__subcmd__sso__subcmd__help"
                ;;
            alicloud__vault__subcmd__sso,list)
                cmd="alicloud__vault__subcmd__sso__subcmd__list"
                ;;
            alicloud__vault__subcmd__sso,login)
                cmd="alicloud__vault__subcmd__sso__subcmd__login"
                ;;
            alicloud__vault__subcmd__sso,logout)
                cmd="alicloud__vault__subcmd__sso__subcmd__logout"
                ;;
            alicloud__vault__subcmd__sso__subcmd__help,configure)
                cmd="alicloud__vault__subcmd__sso__subcmd__help__subcmd__configure"
                ;;
            alicloud__vault__subcmd__sso__subcmd__help,help)
                cmd="alicloud__vault__subcmd__sso__subcmd__help__subcmd__help"
                ;;
            alicloud__vault__subcmd__sso__subcmd__help,list)
                cmd="alicloud__vault__subcmd__sso__subcmd__help__subcmd__list"
                ;;
            alicloud__vault__subcmd__sso__subcmd__help,login)
                cmd="alicloud__vault__subcmd__sso__subcmd__help__subcmd__login"
                ;;
            alicloud__vault__subcmd__sso__subcmd__help,logout)
                cmd="alicloud__vault__subcmd__sso__subcmd__help__subcmd__logout"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        alicloud__vault)
            opts="-h -V --backend --config --debug --no-color --help --version add list ls remove rm exec export clear completion rotate login setup agent metadata sso oauth migrate help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__add)
            opts="-h --backend --config --debug --no-color --env --stdin --import-aliyun --yes --no-verify --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__agent)
            opts="-h --backend --config --debug --no-color --help run start stop status log help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__agent__subcmd__help)
            opts="run start stop status log help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__agent__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__agent__subcmd__help__subcmd__log)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__agent__subcmd__help__subcmd__run)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__agent__subcmd__help__subcmd__start)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__agent__subcmd__help__subcmd__status)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__agent__subcmd__help__subcmd__stop)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__agent__subcmd__log)
            opts="-n -h --backend --config --debug --no-color --lines --json --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --lines)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__agent__subcmd__run)
            opts="-h --backend --config --debug --no-color --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__agent__subcmd__start)
            opts="-h --backend --config --debug --no-color --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__agent__subcmd__status)
            opts="-h --backend --config --debug --no-color --json --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__agent__subcmd__stop)
            opts="-h --backend --config --debug --no-color --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__clear)
            opts="-h --backend --config --debug --no-color --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__completion)
            opts="-h --backend --config --debug --no-color --help bash zsh fish powershell elvish"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__exec)
            opts="-d -n -h --backend --config --debug --no-color --duration --no-session --region --force-nested --server --ecs-server --container --no-agent --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --duration)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -d)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__export)
            opts="-d -n -h --backend --config --debug --no-color --format --duration --no-session --region --shell-pid --container --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "env json aliyun-external credentials-uri-json ini shell-uri fish-uri" -- "${cur}"))
                    return 0
                    ;;
                --duration)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -d)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --shell-pid)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help)
            opts="add list remove exec export clear completion rotate login setup agent metadata sso oauth migrate help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__add)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__agent)
            opts="run start stop status log"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__agent__subcmd__log)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__agent__subcmd__run)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__agent__subcmd__start)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__agent__subcmd__status)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__agent__subcmd__stop)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__clear)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__completion)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__exec)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__export)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__login)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__metadata)
            opts="use setup"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__metadata__subcmd__setup)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__metadata__subcmd__use)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__migrate)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__oauth)
            opts="login logout"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__oauth__subcmd__login)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__oauth__subcmd__logout)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__remove)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__rotate)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__setup)
            opts="aliyun-cli"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__setup__subcmd__aliyun__subcmd__cli)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__sso)
            opts="login list logout configure"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__sso__subcmd__configure)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__sso__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__sso__subcmd__login)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__help__subcmd__sso__subcmd__logout)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__list)
            opts="-h --backend --config --debug --no-color --profiles --credentials --sessions --json --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__login)
            opts="-h --backend --config --debug --no-color --stdout --destination --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --destination)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__metadata)
            opts="-h --backend --config --debug --no-color --help use setup help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__metadata__subcmd__help)
            opts="use setup help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__metadata__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__metadata__subcmd__help__subcmd__setup)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__metadata__subcmd__help__subcmd__use)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__metadata__subcmd__setup)
            opts="-h --backend --config --debug --no-color --apply --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__metadata__subcmd__use)
            opts="-h --backend --config --debug --no-color --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__migrate)
            opts="-h --backend --config --debug --no-color --from --to --dry-run --delete-source --force --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --from)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --to)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__oauth)
            opts="-h --backend --config --debug --no-color --help login logout help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__oauth__subcmd__help)
            opts="login logout help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__oauth__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__oauth__subcmd__help__subcmd__login)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__oauth__subcmd__help__subcmd__logout)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__oauth__subcmd__login)
            opts="-h --no-browser --timeout --backend --config --debug --no-color --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__oauth__subcmd__logout)
            opts="-h --backend --config --debug --no-color --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__remove)
            opts="-f -h --backend --config --debug --no-color --sessions-only --force --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__rotate)
            opts="-h --backend --config --debug --no-color --verify-timeout --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --verify-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__setup)
            opts="-h --backend --config --debug --no-color --help aliyun-cli help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__setup__subcmd__aliyun__subcmd__cli)
            opts="-h --backend --config --debug --no-color --name --region --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__setup__subcmd__help)
            opts="aliyun-cli help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__setup__subcmd__help__subcmd__aliyun__subcmd__cli)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__setup__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__sso)
            opts="-h --backend --config --debug --no-color --help login list logout configure help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__sso__subcmd__configure)
            opts="-h --backend --config --debug --no-color --write --prefix --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__sso__subcmd__help)
            opts="login list logout configure help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__sso__subcmd__help__subcmd__configure)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__sso__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__sso__subcmd__help__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__sso__subcmd__help__subcmd__login)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__sso__subcmd__help__subcmd__logout)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__sso__subcmd__list)
            opts="-h --backend --config --debug --no-color --json --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__sso__subcmd__login)
            opts="-h --backend --config --debug --no-color --no-browser --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        alicloud__subcmd__vault__subcmd__sso__subcmd__logout)
            opts="-h --backend --config --debug --no-color --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --backend)
                    COMPREPLY=($(compgen -W "secret-service keyutils keychain wincred file pass" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _alicloud__vault -o nosort -o bashdefault -o default alicloud-vault
else
    complete -F _alicloud__vault -o bashdefault -o default alicloud-vault
fi

# Profile names after the subcommands that take one (alicloud-vault __complete-profiles reads
# the configuration and the keystore's item names, and never asks for a passphrase).
_alicloud_vault_with_profiles() {
    local cur="${COMP_WORDS[COMP_CWORD]}" i w words=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        w="${COMP_WORDS[i]}"
        case "$w" in
            --) words+=(--) ;;
            --backend|--config|-d|--duration|--region|--format|--destination|--verify-timeout|--prefix|--name) ((i++)) ;;
            -*) ;;
            *) words+=("$w") ;;
        esac
    done
    case "${words[*]}" in
        exec|export|login|remove|rm|rotate|clear|"metadata use"|"sso login"|"sso list"|"sso logout"|"sso configure")
            if [[ "$cur" != -* ]]; then
                COMPREPLY=($(compgen -W "$(alicloud-vault __complete-profiles 2>/dev/null)" -- "$cur"))
                return 0
            fi
            ;;
    esac
    _alicloud__vault "$@"
}
complete -F _alicloud_vault_with_profiles -o bashdefault -o default alicloud-vault
