module example.com/go-auth

go 1.24
