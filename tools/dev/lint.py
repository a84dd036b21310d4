"""The lint step of ./dev test: pre-commit with the project's OCA configuration.

pre-commit installs its hooks (Python packages from PyPI, npm packages for
prettier and eslint) into its own cache, once; ``install_hooks`` does it as
part of the set-up. The README generator of OCA's maintainer-tools is no PyPI
package: pre-commit takes it from GitHub, or from a local git copy when there
is one ($LEAD_ENERGY_MAINTAINER_TOOLS_GIT, or maintainer-tools.git in the
cache directory), for machines that cannot reach GitHub.
"""

import os
import shutil

from .common import CACHE, ROOT, SetupError, run, say, venv_bin
from .debian import ensure_debs

MAINTAINER_TOOLS_URL = "https://github.com/oca/maintainer-tools"


def maintainer_tools_copy():
    copy = os.environ.get("LEAD_ENERGY_MAINTAINER_TOOLS_GIT")
    if copy:
        return copy
    cached = CACHE / "maintainer-tools.git"
    return str(cached) if cached.exists() else None


def pre_commit_env():
    """The environment for pre-commit: git fetches maintainer-tools from the
    local copy instead of GitHub when there is one (git's insteadOf, given in
    the environment, which pre-commit passes on to git)."""
    env = dict(os.environ)
    copy = maintainer_tools_copy()
    if copy:
        count = int(env.get("GIT_CONFIG_COUNT", "0"))
        env[f"GIT_CONFIG_KEY_{count}"] = f"url.{copy}.insteadOf"
        env[f"GIT_CONFIG_VALUE_{count}"] = MAINTAINER_TOOLS_URL
        env["GIT_CONFIG_COUNT"] = str(count + 1)
    return env


def ensure_lint_tools():
    """Node.js and npm for prettier and eslint, pandoc for the README
    generator (it converts the Markdown fragments)."""
    missing = [
        deb
        for deb, program in (("nodejs", "node"), ("npm", "npm"), ("pandoc", "pandoc"))
        if not shutil.which(program)
    ]
    if missing:
        ensure_debs(missing, "the lint step (prettier, eslint, the README generator)")


def install_hooks():
    ensure_lint_tools()
    if not (ROOT / ".git").exists():
        raise SetupError(
            "the lint step runs pre-commit, which needs a git clone of the "
            "project (git clone, not a downloaded archive)"
        )
    say("pre-commit: installing the hooks of .pre-commit-config.yaml (once)")
    run([venv_bin("pre-commit"), "install-hooks"], cwd=ROOT, env=pre_commit_env())


def lint():
    install_hooks()
    say("lint: pre-commit run --all-files (OCA's checks, .pre-commit-config.yaml)")
    result = run(
        [venv_bin("pre-commit"), "run", "--all-files", "--show-diff-on-failure"],
        check=False,
        cwd=ROOT,
        env=pre_commit_env(),
    )
    if result.returncode:
        raise SetupError(
            "lint failed (see above). The formatters (ruff, prettier, eslint "
            "--fix) and the README generator have fixed what they could in the "
            "files: review the changes with git diff and commit them."
        )
