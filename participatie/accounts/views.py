from participatie.accounts.services import load_user
from participatie.extensions import login_manager

login_manager.user_loader(load_user)
login_manager.login_view = "accounts.login"
login_manager.login_message = "Log in om verder te gaan."
login_manager.session_protection = "strong"
